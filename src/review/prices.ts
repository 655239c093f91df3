/**
 * Fargate prices (Linux, USD, per hour), the one table cost estimates use. Only figures with a source are
 * here: a region, architecture or Spot price that is missing is reported as unknown, never guessed.
 *
 * Source: AWS Fargate pricing (https://aws.amazon.com/fargate/pricing/), us-east-1 rates as quoted by
 * Vantage ("AWS Fargate Pricing Explained") and Wring ("AWS Fargate Pricing", 2026-03-10), which agree;
 * recorded 2026-11-23. Spot prices change by region and hour, so none are recorded.
 */
export const PRICES_AS_OF = "2026-11-23";

export interface FargateRate {
  vcpuHour: number;
  gbHour: number;
}

export type Architecture = "x86" | "arm";

export const FARGATE_ON_DEMAND: Record<string, Partial<Record<Architecture, FargateRate>>> = {
  "us-east-1": {
    x86: { vcpuHour: 0.04048, gbHour: 0.004445 },
    arm: { vcpuHour: 0.03238, gbHour: 0.00356 },
  },
};

/** Hours in an average month (365 × 24 / 12), as AWS's calculator counts them. */
export const HOURS_PER_MONTH = 730;
