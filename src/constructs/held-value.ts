import { TerraformResource } from "cdktf";
import type { Construct } from "constructs";

/**
 * Values held in a Terraform `terraform_data` resource (built into Terraform since 1.4; meshform's stacks need 1.10
 * for S3's native locking), which a resource names in `lifecycle.replace_triggered_by` to be replaced when one of
 * them changes. cdktf's own `DataResource` adds a validation that runs `terraform version` at every synth (a process
 * per stack, most of a small synth's time, and synth would need Terraform installed); this is the same resource,
 * written as cdktf writes it, without that validation.
 */
export class HeldValue extends TerraformResource {
  private readonly input: Record<string, string>;

  constructor(scope: Construct, id: string, input: Record<string, string>) {
    super(scope, id, { terraformResourceType: "terraform_data", terraformGeneratorMetadata: { providerName: "terraform" } });
    this.input = input;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { input: this.input };
  }
}
