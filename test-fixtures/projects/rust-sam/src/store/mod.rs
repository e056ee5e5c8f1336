mod dynamo;
pub use dynamo::DynamoStore;

pub trait Store {
    async fn get(&self, id: &str) -> Option<String>;
}
