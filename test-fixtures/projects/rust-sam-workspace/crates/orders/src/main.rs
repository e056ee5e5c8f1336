use aws_sdk_dynamodb::Client;
use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;

async fn handler(client: &Client, _event: LambdaEvent<Value>) -> Result<(), Error> {
    let table = std::env::var("TABLE_NAME")?;
    client.put_item().table_name(table).send().await?; // iam(OrdersFunction): dynamodb:PutItem ${Table}
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = aws_config::load_from_env().await;
    let client = Client::new(&config);
    lambda_runtime::run(service_fn(|event| handler(&client, event))).await
}
