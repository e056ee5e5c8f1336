use aws_sdk_sns::Client;
use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;

async fn handler(client: &Client, _event: LambdaEvent<Value>) -> Result<(), Error> {
    let topic = std::env::var("TOPIC_ARN")?;
    client.publish().topic_arn(topic).message("hi").send().await?; // iam(LoneFunction): sns:Publish Topic
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_from_env().await;
    let client = Client::new(&config);
    lambda_runtime::run(service_fn(|event| handler(&client, event))).await
}
