//! A bot's first lines: `StakeClient` over JSON-RPC, no bank and no runtime compiled in.
//!
//! ```sh
//! cargo run -p stakepool-client --example show_pool -- <POOL> [URL]
//! ```
//! Prints the pool's APR, principal (idle and lent), what it owes now and its runway, read
//! from the cluster and projected to the cluster's clock exactly as the program would settle.
use solana_keypair::Keypair;
use stakepool_client::amount::format_ui_amount;
use stakepool_client::client::StakeClient;
use stakepool_client::transport::Rpc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let pool = args
        .next()
        .ok_or("usage: show_pool <POOL> [URL]")?
        .parse()?;
    let url = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8899".into());
    // Reading needs no signer; any key will do.
    let client = StakeClient::new(Rpc::new(&url), Keypair::new());
    let ctx = client.pool(&pool).await?;
    let figures = client.pool_figures(&ctx).await?;
    let ui = |raw| format_ui_amount(raw, ctx.decimals);
    println!("pool {pool} on {url}");
    println!("  APR        {} bps", ctx.pool.apr_bps);
    println!(
        "  principal  {} (idle {}, lent {})",
        ui(figures.total_staked + figures.total_unbonding),
        ui(figures.idle),
        ui(figures.lent)
    );
    println!(
        "  owed now   {}",
        format_ui_amount(figures.liability, ctx.decimals)
    );
    match figures.runway_seconds {
        Some(seconds) => println!("  runway     {seconds} s"),
        None => println!("  runway     never runs dry at this rate"),
    }
    Ok(())
}
