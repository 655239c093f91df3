/** How a service's containers run and what they may do: secure by default, every opt-out written and said. */
import type { Diagnostic } from "../diagnostics";
import { RULES } from "../rules";
import { type Check, servicesOf, written } from "./check";

/** A user ECS runs as root: uid 0 or the name root, with or without a group. */
const isRoot = (user: string) => /^(0|root)(:|$)/.test(user);

/** Names that say a value is a secret (a password, a token, a key). */
export const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

/** Actions that take no resource and only read: List and Describe calls (IAM: "actions that list no resource types must use *"). */
const READ_ONLY_LISTING = /^[a-z0-9-]+:(List|Describe)[A-Za-z0-9*?]*$/;

/** Names of the containers meshform puts in a task itself. */
const OWN_CONTAINERS = ["app", "app-ready", "envoy", "otel-collector", "xray-daemon"];

export const runtimeSafety: Check = (parts, source) => {
  const out: Diagnostic[] = [];
  for (const [name, s] of servicesOf(parts)) {
    const at = (...path: (string | number)[]) => ["services", name, ...path];
    if (s.user !== undefined && isRoot(s.user) && written(source, at("user"))) {
      out.push(
        source.report(
          RULES.rootUser,
          at("user"),
          'runs the app as root: a process that breaks out of the app owns the container; use the image\'s non-root user (e.g. "1000") unless it cannot run without root',
        ),
      );
    }
    for (const [sidecar, c] of Object.entries(s.sidecars ?? {})) {
      if (!c) continue;
      if (OWN_CONTAINERS.includes(sidecar)) {
        out.push(
          source.report(
            RULES.containerNames,
            at("sidecars", sidecar),
            `"${sidecar}" is the name of a container meshform adds to the task: give the sidecar another name`,
            true,
          ),
        );
      }
      const user = c.user ?? (c.firelens ? "0" : "1000");
      if (isRoot(user)) {
        const why =
          c.firelens && c.user === undefined ? "as FireLens requires of its log router (ECS refuses another user for it)" : "as written";
        out.push(
          source.report(
            RULES.rootUser,
            at("sidecars", sidecar),
            `runs as root, ${why}: it is the one root container of the task; pin its image to a version you trust`,
            true,
          ),
        );
      }
      if (c.readonlyRootFilesystem === false) {
        out.push(
          source.report(
            RULES.writableRoot,
            at("sidecars", sidecar, "readonlyRootFilesystem"),
            "gives the sidecar a writable root filesystem: whatever breaks into it can change its programs",
          ),
        );
      }
    }
    if (s.readonlyRootFilesystem === false) {
      out.push(
        source.report(
          RULES.writableRoot,
          at("readonlyRootFilesystem"),
          "gives the app a writable root filesystem: whatever breaks into it can change its programs; name the places it writes in writablePaths instead",
        ),
      );
    }
    for (const variable of Object.keys(s.environment ?? {})) {
      if (SECRET_NAME.test(variable)) {
        out.push(
          source.report(
            RULES.plainSecret,
            at("environment", variable),
            "looks like a secret, and environment values are plain text in the task definition, visible to anyone who can read it: put it in Secrets Manager or Parameter Store and name it under secrets",
            true,
          ),
        );
      }
      if (s.secrets && variable in s.secrets) {
        out.push(
          source.report(
            RULES.variableNames,
            at("secrets", variable),
            `is set under environment too; keep one (a secret belongs under secrets)`,
            true,
          ),
        );
      }
    }
    (s.permissions ?? []).forEach((p, i) => {
      (p.actions ?? []).forEach((action, j) => {
        if (action === "*")
          out.push(
            source.report(
              RULES.wildcardAction,
              at("permissions", i, "actions", j),
              'allows every action of every AWS service: name the actions the app calls, e.g. "s3:GetObject"',
            ),
          );
      });
      const everything = (p.resources ?? []).indexOf("*");
      if (everything >= 0 && !(p.actions ?? []).every((a) => READ_ONLY_LISTING.test(a))) {
        out.push(
          source.report(
            RULES.wildcardResource,
            at("permissions", i, "resources", everything),
            'allows these actions on every resource of the account: name the resources by ARN ("*" suits only read-only List and Describe calls, which take no resource)',
          ),
        );
      }
    });
    const routers = Object.entries(s.sidecars ?? {}).filter(([, c]) => c?.firelens);
    if (s.logging?.driver === "awsfirelens" && routers.length === 0) {
      out.push(
        source.report(
          RULES.logRouter,
          at("logging", "driver"),
          "sends the app's logs through FireLens, and no sidecar is a log router: add one with firelens: fluentbit (e.g. public.ecr.aws/aws-observability/aws-for-fluent-bit, pinned)",
        ),
      );
    }
    if (routers.length > 1) {
      out.push(
        source.report(
          RULES.logRouter,
          at("sidecars", routers[1]![0], "firelens"),
          `is a second log router (${routers[0]![0]} is one); a task has one`,
        ),
      );
    }
    if (s.image !== undefined) {
      const tags = [["imageTag"], ...Object.keys(s.versions ?? {}).map((v) => ["versions", v, "imageTag"])];
      for (const path of tags.filter((p) => written(source, at(...p)))) {
        out.push(
          source.report(
            RULES.imageTag,
            at(...path),
            "tags an image in the environment's own repository, and this service runs image: put the tag in image (name:tag or @sha256:digest)",
            true,
          ),
        );
      }
    }
  }
  return out;
};

/** Under Service Connect, a service without a container health check gets traffic while it starts. */
export const readiness: Check = (parts, source, { provider }) => {
  if (!provider?.supports("readinessGate")) return [];
  return servicesOf(parts).flatMap(([name, s]): Diagnostic[] => {
    const none = s.healthCheckCommand === "none" || (s.healthCheckCommand === undefined && s.image !== undefined);
    if (!none) return [];
    const where = s.healthCheckCommand === "none" ? ["services", name, "healthCheckCommand"] : ["services", name, "image"];
    const port = s.port ?? "PORT";
    // A TCP service answers no HTTP path: the example checks that its port accepts connections instead.
    const example =
      s.protocol === "tcp"
        ? `["CMD-SHELL", "nc -z 127.0.0.1 ${port} || exit 1"]`
        : `["CMD-SHELL", "wget -qO- http://127.0.0.1:${port}/health || exit 1"]`;
    return [
      source.report(
        RULES.noHealthCheck,
        where,
        `${name} has no container health check, so ECS cannot hold a starting task back and ${provider.displayName} may send it requests before it is ready: give it healthCheckCommand (a command its image can run, e.g. ${example})`,
      ),
    ];
  });
};
