/**
 * Fargate prices (Linux, USD, per hour), the one table cost estimates use. A region is here only with
 * on-demand figures read from the AWS Price List (the API behind https://aws.amazon.com/fargate/pricing/, whose
 * region tables are rendered in the browser and so could not be read directly), with the usage types (and,
 * where given, SKUs) they were quoted with and the date they were read. A region or architecture that is
 * missing is reported as unknown, never guessed. Research notes: issue #19.
 *
 * Spot prices change over time and by region; the ones here are snapshots from a third-party calculator
 * (theuves/fgcalc, src/utils/data.js at 5049a5e, undated, project © 2021, which says its prices were taken
 * from AWS's Fargate page), never verified, and are always shown as such.
 *
 * To re-check a region: https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonECS/current/<region>/index.json,
 * usage types `<prefix>-Fargate-vCPU-Hours:perCPU`, `<prefix>-Fargate-GB-Hours`, `<prefix>-Fargate-ARM-vCPU-Hours:perCPU`,
 * `<prefix>-Fargate-ARM-GB-Hours` (prefix `EU` for eu-west-1, `USE1` for us-east-1, …).
 */

export interface FargateRate {
  vcpuHour: number;
  gbHour: number;
}

export type Architecture = "x86" | "arm";

export interface RegionPrices {
  onDemand: Partial<Record<Architecture, FargateRate>>;
  /** Where the on-demand figures were read, in a few words for the review. */
  source: string;
  /** When they were read (or the date the source gives them). */
  asOf: string;
  /** Fargate Spot (x86): a snapshot, unverified. */
  spot?: FargateRate;
}

/** Where every Spot figure comes from. */
export const SPOT_SOURCE = "an unverified snapshot from theuves/fgcalc, undated; Spot prices change";

export const FARGATE: Record<string, RegionPrices> = {
  // Price List CSV (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonECS/current/us-east-1/index.csv)
  // as quoted by a public cost study, retrieved 2026-08-17: USE1-Fargate-vCPU-Hours:perCPU $0.04048,
  // USE1-Fargate-GB-Hours $0.004445, USE1-Fargate-ARM-vCPU-Hours:perCPU $0.03238, USE1-Fargate-ARM-GB-Hours
  // $0.00356; the ARM figures again in another repository's output "read from the AWS Pricing API 2026-08-28".
  "us-east-1": {
    onDemand: { x86: { vcpuHour: 0.04048, gbHour: 0.004445 }, arm: { vcpuHour: 0.03238, gbHour: 0.00356 } },
    source: "AWS Price List, USE1-Fargate-* usage types",
    asOf: "2026-08-17",
    spot: { vcpuHour: 0.01264355, gbHour: 0.00138835 },
  },
  // A public design document, "Precios de la Price List de AWS, us-east-2, Linux, on-demand, leídos el
  // 2026-09-10", with the `aws pricing get-products … USE2-Fargate-vCPU-Hours:perCPU` command it ran.
  "us-east-2": {
    onDemand: { x86: { vcpuHour: 0.04048, gbHour: 0.004445 }, arm: { vcpuHour: 0.03238, gbHour: 0.00356 } },
    source: "AWS Price List, USE2-Fargate-* usage types",
    asOf: "2026-09-10",
    spot: { vcpuHour: 0.01276353, gbHour: 0.00140153 },
  },
  // A public audit "Automated via AWS Pricing API", dated 2026-05-01, raw data: SKU K4EXFQ5YFQCP98EN
  // EU-Fargate-vCPU-Hours:perCPU $0.04048; UP5ETC3QSW2QZGEY EU-Fargate-GB-Hours $0.004445; KXC9CEUQGJQPNZPY
  // EU-Fargate-ARM-vCPU-Hours:perCPU $0.03238; MGJ5EB5GSHR8QZDF EU-Fargate-ARM-GB-Hours $0.00356. A real
  // eu-west-1 bill of July 2026 agrees ($6.01 for 148 vCPU-hours, $1.32 for 297 GB-hours).
  "eu-west-1": {
    onDemand: { x86: { vcpuHour: 0.04048, gbHour: 0.004445 }, arm: { vcpuHour: 0.03238, gbHour: 0.00356 } },
    source: "AWS Price List, EU-Fargate-* usage types",
    asOf: "2026-05-01",
    spot: { vcpuHour: 0.01257825, gbHour: 0.00138118 },
  },
  // A public price seed: ('aws-fargate-euc1', 'compute', '*', 'vcpu-hour', 0.04656, 1, '2026-07-07T00:00:00Z',
  // 'EUC1-Fargate-vCPU-Hours:perCPU') and gib-hour 0.00511. No ARM figure was found.
  "eu-central-1": {
    onDemand: { x86: { vcpuHour: 0.04656, gbHour: 0.00511 } },
    source: "AWS Price List, EUC1-Fargate-* usage types",
    asOf: "2026-07-07",
    spot: { vcpuHour: 0.0140458, gbHour: 0.00154154 },
  },
  // A public planning document, "Queried from the AWS Pricing API on 2026-08-21": APS1-Fargate-ARM-vCPU-Hours
  // $0.04045, memory (ARM64) $0.00442, vCPU (x86) $0.05056, memory (x86) $0.00553.
  "ap-southeast-1": {
    onDemand: { x86: { vcpuHour: 0.05056, gbHour: 0.00553 }, arm: { vcpuHour: 0.04045, gbHour: 0.00442 } },
    source: "AWS Price List, APS1-Fargate-* usage types",
    asOf: "2026-08-21",
    spot: { vcpuHour: 0.015168, gbHour: 0.001659 },
  },
};

/** Hours in an average month (365 × 24 / 12), as AWS's calculator counts them. */
export const HOURS_PER_MONTH = 730;

/**
 * What a provider is billed for beside the tasks (MeshProvider.billing), by the Terraform resource that is billed
 * by the hour, per region: that hour, the data it processes and the requests it receives (USD).
 */
export interface HourlyPrices {
  /** Each resource, an hour (or part of one). */
  hour: number;
  /** Each GB processed (requests and their responses). */
  perGb: number;
  /** Each million requests beyond the free ones. */
  perMillionRequests: number;
  /** Requests an hour, per resource, that are not billed. */
  freeRequestsPerHour: number;
  source: string;
  asOf: string;
  /** What in these figures is not confirmed by AWS's own text. */
  unverified?: string;
}

export const PROVIDER_PRICES: Record<string, { what: string; prices: Record<string, HourlyPrices> }> = {
  // https://aws.amazon.com/vpc/lattice/pricing/, example 1 (US East, N. Virginia): "You pay $0.025 per hour for each
  // service" and "$0.025 per GB of data processed by each service"; "we assume that a month equals 730 hours". The
  // request charge ($0.10 per million, the first 300,000 an hour per service free) comes from the page's second
  // example, which the stored copy cuts short, as quoted in issue 18: unverified. No other region's figures were found.
  aws_vpclattice_service: {
    what: "VPC Lattice",
    prices: {
      "us-east-1": {
        hour: 0.025,
        perGb: 0.025,
        perMillionRequests: 0.1,
        freeRequestsPerHour: 300_000,
        source: "AWS, Amazon VPC Lattice pricing (example 1)",
        asOf: "2026-11-27",
        unverified: "the request price",
      },
    },
  },
};
