use super::Store;
use aws_sdk_dynamodb::Client;

pub struct DynamoStore {
    client: Client,
    table: String,
}

impl DynamoStore {
    pub fn new(client: Client, table: String) -> Self {
        Self { client, table }
    }
}

impl Store for DynamoStore {
    async fn get(&self, id: &str) -> Option<String> {
        let req = self.client.get_item().table_name(&self.table); // a builder split across statements
        let out = req.key("id", id.into()).send().await.ok()?; // iam: dynamodb:GetItem table/${Table}
        out.item.map(|_| String::new())
    }
}
