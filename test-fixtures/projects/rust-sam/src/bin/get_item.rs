use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;
use shop::store::{DynamoStore, Store};

async fn handler(store: &impl Store, event: LambdaEvent<Value>) -> Result<Value, Error> {
    let id = event.payload["id"].as_str().unwrap_or_default();
    Ok(Value::from(store.get(id).await))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_from_env().await;
    let table = std::env::var("TABLE_NAME").expect("TABLE_NAME");
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), table);
    notify(&config).await;
    run(service_fn(|event| handler(&store, event))).await
}

// A client kept in a static cell, initialised on first use.
static SQS: tokio::sync::OnceCell<aws_sdk_sqs::Client> = tokio::sync::OnceCell::const_new();

pub async fn notify(config: &aws_config::SdkConfig) {
    let sqs = SQS.get_or_init(|| async { aws_sdk_sqs::Client::new(config) }).await;
    sqs.send_message().queue_url("https://sqs.us-east-1.amazonaws.com/123456789012/items").send().await.ok(); // iam: sqs:SendMessage :items
}
