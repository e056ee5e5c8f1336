use aws_config::sts::AssumeRoleProvider;
use aws_config::BehaviorVersion;
use aws_sdk_s3::config::Credentials;

// Clients built with a tenant's credentials run as the tenant's role, not the function's.
async fn handler(base: &aws_config::SdkConfig) {
    let sts = aws_sdk_sts::Client::new(base);
    let out = sts.assume_role().role_arn("arn:aws:iam::123456789012:role/tenant-access").role_session_name("t").send().await.unwrap(); // iam: sts:AssumeRole role/tenant-access
    let c = out.credentials().unwrap();
    let creds = Credentials::new(c.access_key_id(), c.secret_access_key(), Some(c.session_token().to_string()), None, "tenant");

    let tenant = aws_config::defaults(BehaviorVersion::latest()).credentials_provider(creds.clone()).region("eu-west-1").load().await;
    let s3 = aws_sdk_s3::Client::new(&tenant);
    s3.get_object().bucket("tenant-files").key("a").send().await.ok(); // diag: assumed-credentials

    let conf = aws_sdk_dynamodb::config::Builder::from(base).credentials_provider(creds).build();
    let ddb = aws_sdk_dynamodb::Client::from_conf(conf);
    ddb.get_item().table_name("tenant-data").send().await.ok(); // diag: assumed-credentials

    let provider = AssumeRoleProvider::builder("arn:aws:iam::123456789012:role/reader").session_name("r").build().await; // iam: sts:AssumeRole role/reader
    let reader = aws_config::from_env().credentials_provider(provider).load().await;
    aws_sdk_sqs::Client::new(&reader).send_message().queue_url("https://sqs.us-east-1.amazonaws.com/123456789012/tenant").send().await.ok(); // diag: assumed-credentials

    // Back to the default chain: the function's own role.
    let own = tenant.to_builder().set_credentials_provider(None).build();
    aws_sdk_sns::Client::new(&own).publish().topic_arn("arn:aws:sns:us-east-1:123456789012:alerts").send().await.ok(); // iam: sns:Publish :alerts
    s3.clone().get_object().bucket("tenant-files").key("b").send().await.ok(); // diag: assumed-credentials
    aws_sdk_s3::Client::new(base).put_object().bucket("reports").key("r.csv").send().await.ok(); // iam: s3:PutObject reports/r.csv
}

#[tokio::main]
async fn main() {
    let base = aws_config::load_defaults(BehaviorVersion::latest()).await;
    handler(&base).await;
}
