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
    run(service_fn(|event| handler(&store, event))).await
}
