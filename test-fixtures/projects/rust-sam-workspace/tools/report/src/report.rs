use aws_sdk_s3::Client;
use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;

async fn handler(client: &Client, _event: LambdaEvent<Value>) -> Result<(), Error> {
    let bucket = std::env::var("BUCKET")?;
    client.put_object().bucket(bucket).key("report.csv").send().await?; // iam(ReportFunction): s3:PutObject report.csv
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_from_env().await;
    let client = Client::new(&config);
    lambda_runtime::run(service_fn(|event| handler(&client, event))).await
}
