/**
 * EC2's rule for the description of a security group and of its rules: "Up to 255 characters in length. Allowed
 * characters are a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=;{}!$*" (EC2 API reference: UserIdGroupPair.Description,
 * PrefixListId.Description; CreateSecurityGroup's GroupDescription also allows "&"). The provider checks only the
 * length, so a plan passes and the apply fails with InvalidParameterValue: an apostrophe is enough.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UserIdGroupPair.html
 */
export const EC2_DESCRIPTION = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=;{}!$*]{0,255}$/;

/** `text` as a security group (rule) description, or a programming error: meshform writes these itself, from names its schema has checked. */
export function ec2Description(text: string): string {
  if (!EC2_DESCRIPTION.test(text)) throw new Error(`not a valid EC2 security group description: ${JSON.stringify(text)}`);
  return text;
}
