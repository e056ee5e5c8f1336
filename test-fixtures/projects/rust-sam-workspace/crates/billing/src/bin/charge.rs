use aws_sdk_sqs::Client;
use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;

async fn handler(client: &Client, _event: LambdaEvent<Value>) -> Result<(), Error> {
    let url = std::env::var("QUEUE_URL")?;
    client.send_message().queue_url(url).message_body("charged").send().await?; // iam(ChargeFunction): sqs:SendMessage Queue
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_from_env().await;
    let client = Client::new(&config);
    lambda_runtime::run(service_fn(|event| handler(&client, event))).await
}
