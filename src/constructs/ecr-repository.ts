import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository as AwsEcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Construct } from "constructs";

/** How many images a repository keeps; older ones expire. */
export const ECR_KEEP_IMAGES = 50;

/** An ECR repository for one service's images: immutable tags, scanned on push, encrypted, pruned. */
export class EcrRepository extends Construct {
  readonly repository: AwsEcrRepository;

  constructor(scope: Construct, id: string, props: { name: string }) {
    super(scope, id);
    this.repository = new AwsEcrRepository(this, "repository", {
      name: props.name,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "AES256" }],
    });
    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: this.repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `keep the newest ${ECR_KEEP_IMAGES} images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: ECR_KEEP_IMAGES },
            action: { type: "expire" },
          },
        ],
      }),
    });
  }
}

/** The ARN of the ECR repository an image URI points at, or undefined for other registries. */
export function ecrRepositoryArnOf(image: string, partition = "aws"): string | undefined {
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(image);
  return match ? `arn:${partition}:ecr:${match[2]}:${match[1]}:repository/${match[3]}` : undefined;
}
