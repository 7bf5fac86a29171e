//! Runs a scenario: sets up a mint, a pool, a lending market and funded users in the
//! in-process bank, then plays the steps at their times. A step that fails is recorded with
//! its error name and the run goes on.
use anchor_lang::prelude::Pubkey;
use solana_keypair::Keypair;
use solana_signer::Signer;
use staking_pool::state::{Change, PoolLimits};

use super::spec::{Action, Amount, Scenario};
use crate::in_process::{self, GENESIS_TS};
use crate::invariants::{self, Books, Check};
use crate::InProcess;
use stakepool_client::client::{ClientError, PoolContext, StakeClient};
use stakepool_client::projection::{PoolFigures, PositionFigures};
use stakepool_client::token_setup;
use stakepool_client::transport::Transport;

/// SOL each simulated wallet gets for fees and rent.
const WALLET_LAMPORTS: u64 = 10_000_000_000;
/// SOL the operator gets: rent for the mint, pool, market and every wallet's account.
const OPERATOR_LAMPORTS: u64 = 100_000_000_000_000;

/// The keypair a scenario's actor is known by: derived from its name.
fn named_key(name: &str) -> Keypair {
    let seed = solana_sha256_hasher::hashv(&[b"stakepool simulate: ", name.as_bytes()]);
    solana_keypair::keypair_from_seed(seed.as_ref()).expect("a 32-byte seed")
}

/// The pool's state after a step, and the acting user's.
#[derive(Clone, Debug)]
pub struct StepState {
    pub pool: PoolFigures,
    pub reward_vault: u64,
    pub user: Option<PositionFigures>,
    /// The acting user's wallet.
    pub wallet: Option<u64>,
}

/// What a step moved, in base units (negative: out of it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Moved {
    /// The acting user's wallet.
    pub wallet: Option<i128>,
    /// Idle principal in the pool's vault.
    pub idle: i128,
    /// Principal lent to the market.
    pub lent: i128,
    pub reward_vault: i128,
}

#[derive(Clone, Debug)]
pub struct StepResult {
    pub number: usize,
    pub at: i64,
    pub user: Option<String>,
    pub action: Action,
    /// `Ok(notes)` or the error's name and one-line message.
    pub outcome: Result<Vec<String>, (String, String)>,
    pub after: StepState,
    pub moved: Moved,
}

#[derive(Clone, Debug)]
pub struct UserResult {
    pub name: String,
    pub wallet: u64,
    /// `None` once closed (or never opened).
    pub position: Option<PositionFigures>,
    /// Rewards claimed and compounded over the run: the position's own count, as last seen
    /// before it closed (the figure goes with the account).
    pub claimed: u64,
}

#[derive(Clone, Debug)]
pub struct Run {
    pub scenario: Scenario,
    pub steps: Vec<StepResult>,
    pub pool: PoolFigures,
    pub reward_vault: u64,
    pub users: Vec<UserResult>,
    pub invariants: Vec<Check>,
    /// Interest backing the market's authority funded at set-up.
    pub market_backing: u64,
    pub duration: i64,
}

struct World {
    transport: InProcess,
    operator: StakeClient<InProcess>,
    users: Vec<StakeClient<InProcess>>,
    pool: Pubkey,
    market: Option<Pubkey>,
    /// Every token account of the mint, for "no token created or destroyed".
    token_accounts: Vec<Pubkey>,
    mint: Pubkey,
}

pub async fn run(scenario: &Scenario) -> Result<Run, ClientError> {
    let (world, market_backing) = set_up(scenario).await?;
    let mut steps = Vec::new();
    let mut claimed = vec![0u64; scenario.users.len()];
    let mut wallets: Vec<u64> = scenario.users.iter().map(|(_, balance)| *balance).collect();
    let ctx = world.operator.pool(&world.pool).await?;
    let mut before = (
        world.operator.pool_figures(&ctx).await?,
        balance(&world.operator, &ctx.pool.reward_vault).await?,
    );
    for (index, step) in scenario.steps.iter().enumerate() {
        {
            let mut ctx = world.transport.ctx.lock().await;
            in_process::set_time(&mut ctx, GENESIS_TS + step.at).await;
        }
        let client = step.user.map_or(&world.operator, |i| &world.users[i]);
        let outcome = perform(&world, client, step.action)
            .await
            .map(|o| o.notes)
            .map_err(|e| (e.name(), e.to_string()));
        let ctx = world.operator.pool(&world.pool).await?;
        let user = match step.user {
            Some(i) => world.users[i]
                .position_figures(&ctx, &world.users[i].me())
                .await
                .ok(),
            None => None,
        };
        if let (Some(i), Some(figures)) = (step.user, &user) {
            claimed[i] = figures.claimed;
        }
        let pool = world.operator.pool_figures(&ctx).await?;
        let reward_vault = balance(&world.operator, &ctx.pool.reward_vault).await?;
        let mut moved = Moved {
            wallet: None,
            idle: i128::from(pool.idle) - i128::from(before.0.idle),
            lent: i128::from(pool.lent) - i128::from(before.0.lent),
            reward_vault: i128::from(reward_vault) - i128::from(before.1),
        };
        let wallet = match step.user {
            Some(i) => {
                let client = &world.users[i];
                let now = balance(client, &client.my_token_account(&ctx)).await?;
                moved.wallet = Some(i128::from(now) - i128::from(wallets[i]));
                wallets[i] = now;
                Some(now)
            }
            None => None,
        };
        before = (pool, reward_vault);
        steps.push(StepResult {
            number: index + 1,
            at: step.at,
            user: step.user.map(|i| scenario.users[i].0.clone()),
            action: step.action,
            outcome,
            after: StepState {
                pool,
                reward_vault,
                user,
                wallet,
            },
            moved,
        });
    }

    let ctx = world.operator.pool(&world.pool).await?;
    let mut users = Vec::new();
    for (((name, _), client), claimed) in scenario.users.iter().zip(&world.users).zip(claimed) {
        let position = client.position_figures(&ctx, &client.me()).await.ok();
        users.push(UserResult {
            name: name.clone(),
            wallet: balance(client, &client.my_token_account(&ctx)).await?,
            claimed: position.as_ref().map_or(claimed, |p| p.claimed),
            position,
        });
    }
    let invariants = invariants::check_all(&books(&world, &ctx).await?);
    Ok(Run {
        scenario: scenario.clone(),
        steps,
        pool: world.operator.pool_figures(&ctx).await?,
        reward_vault: balance(&world.operator, &ctx.pool.reward_vault).await?,
        users,
        invariants,
        market_backing,
        duration: scenario.steps.last().map_or(0, |s| s.at),
    })
}

async fn perform(
    world: &World,
    client: &StakeClient<InProcess>,
    action: Action,
) -> Result<stakepool_client::client::Outcome, ClientError> {
    let pool = &world.pool;
    let market = world.market.as_ref();
    // ALL is read from the pool when the step runs, as the CLI does.
    let resolve = |amount: Amount| async move {
        let ctx = client.pool(pool).await?;
        match (amount, action) {
            (Amount::Tokens(amount), _) => Ok(amount),
            (Amount::All, Action::Deposit(_)) => client.all_depositable(&ctx, None).await,
            (Amount::All, Action::FundRewards(_)) => client.all_fundable(&ctx, None).await,
            (Amount::All, Action::RequestUnbond(_)) => client.all_staked(&ctx).await,
            (Amount::All, _) => client.all_withdrawable(&ctx).await,
        }
    };
    match action {
        Action::Deposit(amount) => client.deposit(pool, resolve(amount).await?, None).await,
        Action::Withdraw(amount) => client
            .withdraw(pool, resolve(amount).await?, None)
            .await
            .map(|(o, _)| o),
        Action::RequestUnbond(amount) => client.request_unbond(pool, resolve(amount).await?).await,
        Action::Claim => client.claim(pool, None).await.map(|(outcome, _)| outcome),
        Action::Compound => client.compound(pool).await,
        Action::ClosePosition => client.close_position(pool).await,
        Action::FundRewards(amount) => {
            client
                .fund_rewards(pool, resolve(amount).await?, None)
                .await
        }
        Action::Rebalance => client.rebalance(pool).await,
        Action::Harvest => client.harvest(pool).await,
        Action::SetApr(apr) => client.set_apr(pool, apr).await,
        Action::SetParams(change) => {
            let limits = change.apply(client.pool(pool).await?.pool.limits());
            client.set_params(pool, limits).await
        }
        Action::Propose(change) => client.propose_change(pool, change).await,
        Action::Execute(kind) => client.execute_change(pool, kind).await,
        Action::Cancel(kind) => client.cancel_change(pool, kind).await,
        Action::Pause => client.set_paused(pool, true).await,
        Action::Unpause => client.set_paused(pool, false).await,
        Action::RecallAll => client.recall_all(pool).await,
        Action::Borrow(amount) => {
            client
                .market_borrow(market.expect("checked by the scenario"), amount)
                .await
        }
        Action::Repay(amount) => {
            client
                .market_repay(market.expect("checked by the scenario"), amount)
                .await
        }
        Action::Default(amount) => {
            client
                .market_default(market.expect("checked by the scenario"), amount)
                .await
        }
        Action::Recover(amount) => {
            client
                .market_recover(market.expect("checked by the scenario"), amount)
                .await
        }
        Action::RecogniseLoss => client.recognise_loss(pool).await,
        Action::WithdrawInKind(amount) => client
            .withdraw_in_kind(pool, resolve(amount).await?, None)
            .await
            .map(|(outcome, _)| outcome),
    }
}

async fn balance(client: &StakeClient<InProcess>, account: &Pubkey) -> Result<u64, ClientError> {
    Ok(client.token_balance(account).await?.unwrap_or(0))
}

/// Mint, pool (the bank's payer is its admin, reward funder and the market's authority),
/// lending market with its interest backed, and every user's wallet.
async fn set_up(scenario: &Scenario) -> Result<(World, u64), ClientError> {
    let ctx = in_process::start().await;
    let bank_payer = ctx.payer.insecure_clone();
    let transport = InProcess::new(ctx);
    // Every key is derived from its name, so a scenario gives the same addresses (and the
    // same report) on every run; the bank's own payer, which is random, only pays in.
    let operator_key = named_key("operator");
    let bank = StakeClient::new(transport.clone(), bank_payer);
    let pay_in = token_setup::transfer_sol(&bank.me(), &operator_key.pubkey(), OPERATOR_LAMPORTS);
    bank.send(&[pay_in], vec![]).await?;
    let mut operator = StakeClient::new(transport.clone(), operator_key);
    let spec = &scenario.pool;
    let token_program = anchor_spl::token::ID;

    let me = operator.me();
    let (mint, _) = operator
        .create_seeded_mint("scenario", spec.decimals, &token_program)
        .await?;

    // Interest the market's borrowers will pay over the run, funded up front so harvests are
    // backed (the pool never harvests interest a market has not funded).
    let duration = scenario.steps.last().map_or(0, |s| s.at).max(86_400);
    let deposits: u128 = scenario.users.iter().map(|(_, b)| u128::from(*b)).sum();
    let market_backing = spec.lending_apr_bps.map_or(0, |apr| {
        let interest = deposits * u128::from(apr) * (duration as u128) / (10_000 * 365 * 86_400);
        interest + 1
    });
    // Everything the operator mints must fit a mint's supply (a u64 of base units).
    let operator_tokens = u64::try_from(
        u128::from(spec.reward_funding) + market_backing + deposits + 1_000_000_000,
    )
    .map_err(|_| {
        ClientError::Failed(format!(
            "the wallets, the reward funding and the market's interest for {} come to more than a mint's supply ({} base units): lower the amounts or shorten the run",
            stakepool_client::projection::format_duration(duration as u64),
            super::spec::SUPPLY_LIMIT
        ))
    })?;
    let market_backing = u64::try_from(market_backing).expect("below operator_tokens");
    operator
        .mint_to_me(&mint, &token_program, operator_tokens)
        .await?;
    let (operator_account, _) = token_setup::associated_account(&me, &me, &mint, &token_program);

    let limits = PoolLimits {
        notice_period: 0,
        ..spec.limits
    };
    let (keys, _) = operator.create_pool(&mint, 0, spec.apr_bps, limits).await?;
    let mut token_accounts = vec![operator_account, keys.vault, keys.reward_vault];

    let market = match spec.lending_apr_bps {
        Some(apr) => {
            let (market, _) = operator.init_market(&mint, 0, apr).await?;
            operator
                .set_lending_market(&keys.pool, &market.market, false)
                .await?;
            operator
                .market_fund_interest(&market.market, market_backing)
                .await?;
            token_accounts.push(market.liquidity_vault);
            Some(market.market)
        }
        None => None,
    };
    if spec.limits != limits {
        // The notice is set after the market: a longer notice is for depositors and applies at
        // once, and the first market is attached without one.
        operator.set_params(&keys.pool, spec.limits).await?;
    }
    if spec.reward_funding > 0 {
        operator
            .fund_rewards(&keys.pool, spec.reward_funding, None)
            .await?;
    }

    // From here on, refusals in the report are the programs' own.
    operator.preflight = false;
    let mut users = Vec::new();
    for (name, balance) in &scenario.users {
        let wallet = named_key(&format!("user {name}"));
        let (account, create) =
            token_setup::associated_account(&me, &wallet.pubkey(), &mint, &token_program);
        let mut instructions = vec![
            token_setup::transfer_sol(&me, &wallet.pubkey(), WALLET_LAMPORTS),
            create,
        ];
        if *balance > 0 {
            instructions.push(token_setup::mint_to(
                &mint,
                &account,
                &me,
                *balance,
                spec.decimals,
                &token_program,
            ));
        }
        operator.send(&instructions, vec![]).await?;
        token_accounts.push(account);
        let mut user = StakeClient::new(transport.clone(), wallet);
        // Every refusal the report shows is the programs' own, not the client's pre-checks.
        user.preflight = false;
        users.push(user);
    }
    Ok((
        World {
            transport,
            operator,
            users,
            pool: keys.pool,
            market,
            token_accounts,
            mint,
        },
        market_backing,
    ))
}

async fn books(world: &World, ctx: &PoolContext) -> Result<Books, ClientError> {
    let mut positions = Vec::new();
    for user in &world.users {
        if let Some(position) = user.position(ctx, &user.me()).await? {
            positions.push(position);
        }
    }
    let now = world.operator.now().await?;
    let valued = match ctx.keys.lending {
        Some(lending) => {
            let (market, _) = world.operator.market(&lending.market).await?;
            let receipt = world
                .transport
                .account(&lending.receipt)
                .await
                .map_err(ClientError::Transport)?;
            let shares = match receipt {
                Some(account) => {
                    stakepool_client::accounts::anchor::<mock_lending::state::Receipt>(
                        &account.data,
                        "receipt",
                    )?
                    .shares
                }
                None => 0,
            };
            let vault = balance(&world.operator, &market.liquidity_vault).await?;
            let rate = market
                .payable_rate(now, vault)
                .map_err(|e| ClientError::Failed(e.to_string()))?;
            mock_lending::exchange_rate::value_of(shares, rate)
                .map(|value| (value, staking_pool::allocation::share_rounding(rate)))
        }
        None => None,
    };
    let receipt_value = valued.map(|(value, _)| value);
    let share_rounding = valued.map_or(0, |(_, rounding)| rounding);
    let mut tokens_total = 0u128;
    for account in &world.token_accounts {
        tokens_total += u128::from(balance(&world.operator, account).await?);
    }
    let mint = world
        .transport
        .account(&world.mint)
        .await
        .map_err(ClientError::Transport)?;
    let supply = mint
        .map(|m| stakepool_client::accounts::mint_supply(&m.data))
        .transpose()?
        .unwrap_or(0);
    Ok(Books {
        pool: ctx.pool,
        positions,
        vault: balance(&world.operator, &ctx.pool.vault).await?,
        reward_vault: balance(&world.operator, &ctx.pool.reward_vault).await?,
        receipt_value,
        // The client's pool already has any loss the market shows written off
        // (`PoolContext::pool`).
        pending_loss: 0,
        share_rounding,
        tokens_total,
        supply,
        now,
    })
}

/// `principal × apr_bps × seconds / (10_000 × 365 days)`, rounded down, computed directly
/// (not with the program's index), so the check is independent of the code it checks.
pub fn simple_interest(principal: u64, apr_bps: u32, seconds: i64) -> Option<u64> {
    let numerator = u128::from(principal)
        .checked_mul(u128::from(apr_bps))?
        .checked_mul(u128::try_from(seconds).ok()?)?;
    u64::try_from(numerator / (10_000 * 365 * 86_400)).ok()
}

/// A user whose history is one deposit and then a claim, with no APR change in between,
/// earned the closed form `principal × apr × time` (rounded down; the program's index may
/// round one base unit lower, never higher): what the claim paid plus what stays owed when the
/// reward vault was short.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosedFormCheck {
    pub user: String,
    pub principal: u64,
    pub apr_bps: u32,
    pub seconds: i64,
    pub expected: u64,
    /// Claimed plus still owed: exact, even beyond a u64.
    pub earned: u128,
}

pub fn closed_form_checks(run: &Run) -> Vec<ClosedFormCheck> {
    let mut checks = Vec::new();
    for (index, (name, _)) in run.scenario.users.iter().enumerate() {
        let mut deposit: Option<(u64, i64)> = None;
        let mut apr = run.scenario.pool.apr_bps;
        let notice = run.scenario.pool.limits.notice_period;
        let mut announced: Option<u32> = None;
        let mut clean = true;
        for step in &run.steps {
            let ok = step.outcome.is_ok();
            // The APR a user's closed form uses: what applied, when it applied. A cut in a pool
            // with a notice period is only announced by `set_apr`/`propose`, and applies at
            // `execute`.
            let applied = match (step.action, ok) {
                (Action::SetApr(new), true) if notice == 0 || new >= apr => Some(new),
                (Action::SetApr(new) | Action::Propose(Change::Apr(new)), true) => {
                    announced = Some(new);
                    None
                }
                (Action::Execute(staking_pool::state::ChangeKind::Apr), true) => announced.take(),
                (Action::Cancel(staking_pool::state::ChangeKind::Apr), true) => {
                    announced = None;
                    None
                }
                _ => None,
            };
            if let Some(new_apr) = applied {
                if deposit.is_some() {
                    clean = false;
                }
                apr = new_apr;
            }
            // A default writes principal down: no closed form on the deposit after it.
            if matches!(step.action, Action::Default(_)) && ok && deposit.is_some() {
                clean = false;
            }
            if run.scenario.steps[step.number - 1].user != Some(index) || !ok {
                continue;
            }
            match step.action {
                // What left the wallet: the amount given, or what ALL came to.
                Action::Deposit(_) if deposit.is_none() => {
                    let paid = step.moved.wallet.map_or(0, |moved| moved.unsigned_abs());
                    deposit = Some((u64::try_from(paid).unwrap_or(u64::MAX), step.at))
                }
                Action::Claim => {
                    if let (Some((principal, since)), true) = (deposit, clean) {
                        let seconds = step.at - since;
                        if let (Some(expected), Some(user)) = (
                            staking_pool::rewards::closed_form_reward(principal, apr, seconds),
                            &step.after.user,
                        ) {
                            checks.push(ClosedFormCheck {
                                user: name.clone(),
                                principal,
                                apr_bps: apr,
                                seconds,
                                expected,
                                earned: u128::from(user.claimed) + user.owed,
                            });
                        }
                    }
                    break;
                }
                _ => break,
            }
        }
    }
    checks
}

impl ClosedFormCheck {
    /// Within one base unit below the closed form, never above it.
    pub fn holds(&self) -> bool {
        let expected = u128::from(self.expected);
        self.earned <= expected && expected - self.earned <= 1
    }
}
