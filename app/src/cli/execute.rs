//! Runs one parsed command on a `StakeClient` and returns its report (text for people, JSON
//! for scripts). Works over any transport: RPC in the binary, in-process in the tests. Each
//! command is one function in `commands/`.
use stakepool_client::client::{ClientError, StakeClient};
use stakepool_client::transport::Transport;

use super::amount_input::is_all;
use super::args::{Command, Show};
use super::commands::admin;
use super::commands::{cranks, market, show, staker};
pub use super::report::Report;

pub async fn execute<T: Transport>(
    command: Command,
    client: &StakeClient<T>,
) -> Result<Report, ClientError> {
    // A malformed amount is refused before anything is read from the cluster.
    if let Some(amount) = command.amount().filter(|amount| !is_all(amount)) {
        stakepool_client::amount::check_ui_amount_syntax(amount)?;
    }
    match command {
        Command::CreatePool {
            mint,
            pool_id,
            apr_bps,
            limits,
        } => admin::create_pool(client, mint, pool_id, apr_bps, limits).await,
        Command::FundRewards { pool, amount, from } => {
            admin::fund_rewards(client, pool, amount, from).await
        }
        Command::Deposit { pool, amount, from } => {
            staker::deposit(client, pool, amount, from).await
        }
        Command::Withdraw {
            pool,
            amount,
            to,
            in_kind,
        } => staker::withdraw(client, pool, amount, to, in_kind).await,
        Command::RequestUnbond {
            pool,
            amount,
            restart_timer,
        } => staker::request_unbond(client, pool, amount, restart_timer).await,
        Command::Claim { pool, to } => staker::claim(client, pool, to).await,
        Command::Compound { pool } => staker::compound(client, pool).await,
        Command::ClosePosition { pool } => staker::close_position(client, pool).await,
        Command::Rebalance { pool } => cranks::rebalance(client, pool).await,
        Command::Harvest { pool } => cranks::harvest(client, pool).await,
        Command::RecogniseLoss { pool } => cranks::recognise_loss(client, pool).await,
        Command::SetApr { pool, apr_bps } => admin::set_apr(client, pool, apr_bps).await,
        Command::SetParams { pool, limits } => admin::set_params(client, pool, limits).await,
        Command::Pause { pool } => admin::set_paused(client, pool, true).await,
        Command::Unpause { pool } => admin::set_paused(client, pool, false).await,
        Command::TransferAdmin { pool, new_admin } => {
            admin::transfer_admin(client, pool, new_admin).await
        }
        Command::AcceptAdmin { pool } => admin::accept_admin(client, pool).await,
        Command::RecallAll { pool } => admin::recall_all(client, pool).await,
        Command::SetLendingMarket {
            pool,
            market,
            allow_foreign_market,
        } => admin::set_lending_market(client, pool, market, allow_foreign_market).await,
        Command::ExecuteChange { pool, kind } => admin::execute_change(client, pool, kind).await,
        Command::CancelChange { pool, kind } => admin::cancel_change(client, pool, kind).await,
        Command::Show(Show::Pool { pool }) => show::show_pool(client, &pool).await,
        Command::Show(Show::Position { pool, owner }) => {
            show::show_position(client, &pool, owner.unwrap_or_else(|| client.me())).await
        }
        Command::Market(command) => market::market(client, command).await,
        Command::Pools { mint, admin } => super::discovery::pools(client, mint, admin).await,
        Command::Positions { owner } => super::discovery::positions(client, owner).await,
        Command::History { owner, pool, limit } => {
            let owner = owner.unwrap_or_else(|| client.me());
            super::history::history(client, owner, pool, limit).await
        }
        Command::Simulate { .. } | Command::Completion { .. } => Err(ClientError::Failed(
            "simulate and completion run without a cluster; the binary handles them".into(),
        )),
    }
}
