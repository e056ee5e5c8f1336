// Arithmetic and number formatting in Rust: format! with width, fill, `{:?}`, positional and
// named fields, `String + &str`, booleans.
const VERSION: u32 = 5;
const PREFIX: &str = "logs";

#[tokio::main]
async fn main() {
    let config = aws_config::load_from_env().await;
    let s3 = aws_sdk_s3::Client::new(&config);
    let n: u32 = std::env::args().count() as u32;
    s3.get_object().bucket("b").key(format!("{}/a.json", VERSION + 1)).send().await.ok(); // iam: s3:GetObject arn:aws:s3:::b/6/a.json
    s3.get_object().bucket("b").key(format!("{}/b.json", n + 1)).send().await.ok(); // iam: s3:GetObject arn:aws:s3:::b/*/b.json
    s3.get_object().bucket("b").key(format!("{:03}/c.json", VERSION)).send().await.ok(); // iam: s3:GetObject arn:aws:s3:::b/005/c.json
    s3.get_object().bucket("b").key(format!("{:_>6}/d.json", PREFIX)).send().await.ok(); // iam: s3:GetObject arn:aws:s3:::b/__logs/d.json
    s3.get_object().bucket("b").key(format!("{:?}/e.json", PREFIX)).send().await.ok(); // iam: s3:GetObject arn:aws:s3:::b/"logs"/e.json
    s3.get_object().bucket("b").key(format!("{1}-{0}/f.json", PREFIX, VERSION)).send().await.ok(); // iam: s3:GetObject arn:aws:s3:::b/5-logs/f.json
    s3.get_object().bucket("b").key(format!("{PREFIX}/{VERSION}/{v}/g.json", v = VERSION * 2)).send().await.ok(); // iam: s3:GetObject arn:aws:s3:::b/logs/5/10/g.json
    s3.get_object().bucket("b").key(PREFIX.to_string() + "/h.json").send().await.ok(); // iam: s3:GetObject arn:aws:s3:::b/logs/h.json
    s3.get_object().bucket("b").key(format!("{}/i.json", (VERSION - 1) / 3 % 2)).send().await.ok(); // iam: s3:GetObject arn:aws:s3:::b/1/i.json
    s3.get_object().bucket("b").key([PREFIX, "j.json"].join("/")).send().await.ok(); // iam: s3:GetObject arn:aws:s3:::b/logs/j.json
    s3.get_object().bucket("b").key(format!("{:>width$}/k.json", VERSION, width = n as usize)).send().await.ok(); // iam: s3:GetObject arn:aws:s3:::b/*5/k.json
    s3.get_object().bucket("b").key(format!("flags/{}/{:?}/l", true, false)).send().await.ok(); // iam: s3:GetObject arn:aws:s3:::b/flags/true/false/l
}
