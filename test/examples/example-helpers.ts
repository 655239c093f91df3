/**
 * Helpers for the tests of examples/: each example's directory loaded as `npm run validate -- --config-dir DIR` loads
 * it, its stack synthesized, read by service, and planned with real Terraform offline as `npm run check:terraform`
 * plans it. examples/ is meshform's own (unlike config/, which is its users'), so these tests pin what it holds.
 */
import { formatDiagnostic } from "../../src/config/diagnostics";
import { loadEnvironments } from "../../src/environments";
import { checkTerraform, type StackReport } from "../../src/terraform/check";
import { compareVersions } from "../../src/terraform/mirror";
import { type Json, one, ref, resources, synthStack } from "../stack-helpers";
import { mirror, workdir } from "../terraform/real-terraform";

export const exampleDir = (name: string) => `examples/${name}`;

/** The example's one environment, resolved, and every diagnostic of its directory as `validate` prints or hides them. */
export function loadExample(name: string) {
  const { environments, diagnostics } = loadEnvironments(exampleDir(name));
  const errors = diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
  if (errors.length > 0 || environments.length !== 1) {
    throw new Error(`${exampleDir(name)} should hold one valid environment:\n${errors.join("\n")}`);
  }
  return { environment: environments[0]!, diagnostics };
}

/** Each warning as `RULE path: the reason it is accepted`, or `RULE path: NOT ACKNOWLEDGED`; errors as printed. */
export const judged = (diagnostics: ReturnType<typeof loadExample>["diagnostics"]) =>
  diagnostics.map((d) => (d.severity === "error" ? formatDiagnostic(d) : `${d.rule} ${d.path}: ${d.acknowledged ?? "NOT ACKNOWLEDGED"}`));

/** A synthesized stack read by service name (`<env>-<project>-<words>`), as the tests look at it. */
export function stackOf(environment: ReturnType<typeof loadExample>["environment"]) {
  const stack = synthStack(environment);
  const prefix = environment.names.prefix;
  const named = (type: string, name: string) => one(stack, type, (r) => r.name === name);
  const groupId = (name: string) => ref("aws_security_group", named("aws_security_group", name), "id");
  return {
    stack,
    /** The task definition of a service, by its derived name. */
    task: (name: string) => one(stack, "aws_ecs_task_definition", (t) => t.family === `${prefix}-${name}`),
    /** Its containers, parsed. */
    containers: (name: string): Json[] =>
      JSON.parse(one(stack, "aws_ecs_task_definition", (t) => t.family === `${prefix}-${name}`).container_definitions),
    /** The statements of a role's inline policy, parsed; [] when the role has none. */
    statements: (roleName: string): Json[] => {
      const role = ref("aws_iam_role", named("aws_iam_role", roleName), "id");
      const policies = resources(stack, "aws_iam_role_policy").filter((p) => p.role === role);
      return policies.flatMap((p) => JSON.parse(p.policy).Statement as Json[]);
    },
    logGroupArn: (name: string) => ref("aws_cloudwatch_log_group", named("aws_cloudwatch_log_group", `/ecs/${prefix}/${name}`), "arn"),
    logGroupName: (name: string) => ref("aws_cloudwatch_log_group", named("aws_cloudwatch_log_group", `/ecs/${prefix}/${name}`), "name"),
    groupId,
    /** What a security group admits (ingress) or reaches (egress): [peer group name or CIDR, port], sorted. */
    rules: (kind: "ingress" | "egress", groupName: string): [string, number][] => {
      const groups = new Map(resources(stack, "aws_security_group").map((g) => [ref("aws_security_group", g, "id"), g.name as string]));
      return resources(stack, `aws_vpc_security_group_${kind}_rule`)
        .filter((r) => r.security_group_id === groupId(groupName))
        .map((r): [string, number] => [groups.get(r.referenced_security_group_id) ?? r.cidr_ipv4 ?? r.prefix_list_id, r.from_port])
        .sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]);
    },
  };
}

/** What the offline plan cannot check with the mirror's provider: Service Connect's access logs before 6.34.0. */
export function expectedUnverified(stack: Json, providerVersion: string): string[] {
  if (compareVersions("6.34.0", providerVersion) <= 0) return [];
  return resources(stack, "aws_ecs_service")
    .map((s) => `aws_ecs_service.${s.id}.service_connect_configuration.access_log_configuration (provider 6.34.0)`)
    .sort();
}

/** Every resource of the stack, counted as a plan from empty state adds them. */
export const resourceCount = (stack: Json) =>
  Object.values(stack.resource as Record<string, object>).reduce((n, byName) => n + Object.keys(byName).length, 0);

/** The example's stack through `terraform init` and `plan`, offline, as `npm run check:terraform` runs it (results reused while unchanged). */
export async function planExample(name: string, env: string, stack: Json): Promise<StackReport[]> {
  if ("reason" in mirror) throw new Error(`no provider mirror: ${mirror.reason}`);
  const result = await checkTerraform({ [env]: stack }, { mirror, workdir: workdir(`examples-${name}`) });
  return result.stacks;
}
