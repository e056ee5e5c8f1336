use aws_sdk_s3 as s3;
use aws_sdk_sfn::Client as SfnClient;
use std::env;

const PREFIX: &str = "exports";

async fn export(client: &s3::Client, sfn: &SfnClient) {
    let bucket = env::var("BUCKET").unwrap();
    let key = format!("{PREFIX}/{}.csv", "daily");
    client.put_object().bucket(&bucket).key(key).send().await.unwrap(); // iam: s3:PutObject ${Bucket}/exports/daily.csv
    let mut pages = client.list_objects_v2().bucket(&bucket).prefix(PREFIX).into_paginator().send(); // iam: s3:ListBucket arn:aws:s3:::${Bucket}
    let _ = pages.next().await;
    client.wait_until_object_exists().bucket(&bucket).key("exports/daily.csv").send().await.ok(); // iam: s3:GetObject ${Bucket}/exports/daily.csv
    let url = client.get_object().bucket(&bucket).key("exports/latest.csv").presigned(config()).await; // iam: s3:GetObject ${Bucket}/exports/latest.csv
    let flow = env::var("FLOW_ARN").unwrap_or("unset".to_string());
    sfn.start_execution().state_machine_arn(flow).send().await.unwrap(); // iam: states:StartExecution ${Flow.Arn}; edge(ExportFunction): Step stepfunctions
    client.frobnicate(); // diag: unknown-operation
    query_dsl!(select * from t where id = 1); // diag: opaque-macro
}

fn config() -> s3::presigning::PresigningConfig {
    s3::presigning::PresigningConfig::expires_in(std::time::Duration::from_secs(60)).unwrap()
}

#[tokio::main]
async fn main() {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = s3::Client::new(&config);
    let sfn = SfnClient::new(&config);
    export(&client, &sfn).await;
}
