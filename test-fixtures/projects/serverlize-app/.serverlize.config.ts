// iam: kms:Decrypt key/1234abcd
// Serverlize configuration: every HTTP function is IAM-authenticated unless it says otherwise.
export default {
  name: 'restaurants',
  lambda: {
    http: { auth: 'aws.iam' },
  },
  kms: { keyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
};
