//! How commands send: dry runs, compute budgets and fees, expiry and resigning, fee payers,
//! offline signatures, and what a landed failure cost.
use std::sync::{Arc, Mutex};

use anchor_lang::prelude::Pubkey;
use solana_keypair::Keypair;
use solana_signer::Signer;
use stakepool_client::client::StakeClient;
use stakepool_client::token_setup;
use stakepool_client::transport::{Transaction, Transport};
use stakepool_tests::cluster::doubles::{LandsLate, Lossy};
use stakepool_tests::cluster::METERS_UNITS;

use super::harness::*;

#[tokio::test]
async fn dry_run_simulates_and_sends_nothing() {
    let cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let mut alice = cluster.wallet(10_000_000).await;
    let pool = create_pool(&cluster, &mut admin, "500", &[]).await;
    let report = run(&mut alice, &["--dry-run", "deposit", "--pool", &pool, "5"])
        .await
        .unwrap();
    assert!(
        report
            .text
            .starts_with("✓ dry run: deposited 5 would succeed"),
        "{}",
        report.text
    );
    assert_eq!(report.json["dry_run"], true);
    let pool_key: Pubkey = pool.parse().unwrap();
    let ctx = alice.pool(&pool_key).await.unwrap();
    assert!(
        alice.position(&ctx, &alice.me()).await.unwrap().is_none(),
        "nothing was sent"
    );
    let wallet = alice.my_token_account(&ctx);
    assert_eq!(
        alice.token_balance(&wallet).await.unwrap(),
        Some(10_000_000)
    );
    assert!(report.json["units_consumed"].is_u64());
    assert_eq!(ctx.pool.total_staked(), 0);
    // A dry run that would fail reports the program's error by name.
    ok(&mut admin, &["pause", "--pool", &pool]).await;
    let error = one_line_error(
        &mut admin,
        &["--dry-run", "set-apr", "--pool", &pool, "999999"],
    )
    .await;
    assert!(error.contains("InvalidApr"), "{error}");
}

const COMPUTE_BUDGET_PROGRAM: &str = "ComputeBudget111111111111111111111111111111";

/// The compute-budget instructions at the head of `transaction`, as (program, data).
fn budget_of(transaction: &Transaction) -> Vec<(String, Vec<u8>)> {
    let keys = &transaction.message.account_keys;
    transaction
        .message
        .instructions
        .iter()
        .map(|ix| {
            (
                keys[usize::from(ix.program_id_index)].to_string(),
                ix.data.clone(),
            )
        })
        .take_while(|(program, _)| program == COMPUTE_BUDGET_PROGRAM)
        .collect()
}

/// Every transaction on a cluster carries a compute-unit limit sized from its own simulation
/// (never the default 200,000 per instruction) and the price asked for: fixed, or `auto`,
/// the 75th percentile of recent fees on the accounts it writes.
#[tokio::test]
async fn transactions_carry_a_simulated_unit_limit_and_the_asked_priority_fee() {
    use stakepool_client::compute_budget::{self, UnitPrice};
    let (cluster, pool_key, alice) = pool_with_a_depositor().await;

    let fixed = Lossy::over(&cluster.transport);
    let mut client = StakeClient::new(fixed.clone(), alice.insecure_clone());
    client.unit_price = Some(UnitPrice::Fixed(2_500));
    client.deposit(&pool_key, 10_000_000, None).await.unwrap();
    let landed = fixed.landed.lock().unwrap().clone();
    assert_eq!(landed.len(), 1);
    let units = fixed.simulated.lock().unwrap()[0].expect("the bank reports units");
    let limit = compute_budget::limit_for(units);
    assert!(limit < 200_000, "sized, not the default: {limit}");
    let expected: Vec<(String, Vec<u8>)> = compute_budget::instructions(limit, 2_500)
        .into_iter()
        .map(|ix| (ix.program_id.to_string(), ix.data))
        .collect();
    assert_eq!(budget_of(&landed[0]), expected);
    assert!(
        fixed.fee_queries.lock().unwrap().is_empty(),
        "a fixed price asks nobody"
    );

    let auto = Lossy {
        fees: vec![0, 5_000, 20, 10, 30],
        ..Lossy::over(&cluster.transport)
    };
    let mut client = StakeClient::new(auto.clone(), alice.insecure_clone());
    client.unit_price = Some(UnitPrice::Auto);
    client.deposit(&pool_key, 10_000_000, None).await.unwrap();
    let queried = auto.fee_queries.lock().unwrap()[0].clone();
    let position = stakepool_client::pda::position(&pool_key, &alice.pubkey()).0;
    assert!(
        queried.contains(&pool_key) && queried.contains(&position),
        "{queried:?}"
    );
    assert!(!queried.contains(&cluster.mint), "the mint is only read");
    let landed = auto.landed.lock().unwrap()[0].clone();
    let budget = budget_of(&landed);
    // Sorted 0, 10, 20, 30, 5000: the 75th percentile by nearest rank is the 4th, 30.
    assert_eq!(budget[1].1, compute_budget::instructions(1, 30)[1].data);

    // The position holds both deposits: each landed once.
    let ctx = client.pool(&pool_key).await.unwrap();
    let held = client
        .position(&ctx, &alice.pubkey())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(held.staked_shares, 20_000_000);
}

/// A transaction that expired without landing is signed again on a fresh blockhash and
/// sent (it can never land now, so the command runs once), and the note says so; with no
/// resends left the error is `Expired`, with the signature, and nothing changed.
#[tokio::test]
async fn an_expired_transaction_is_resigned_once_and_reported_truthfully() {
    let (cluster, pool_key, alice) = pool_with_a_depositor().await;

    let lossy = Lossy {
        expire: Arc::new(Mutex::new(1)),
        ..Lossy::over(&cluster.transport)
    };
    let client = StakeClient::new(lossy.clone(), alice.insecure_clone());
    let outcome = client.deposit(&pool_key, 10_000_000, None).await.unwrap();
    let expired_tx = lossy.expired.lock().unwrap()[0].clone();
    let expired = expired_tx.signatures[0];
    let landed = lossy.landed.lock().unwrap()[0].clone();
    assert_ne!(expired, landed.signatures[0], "signed again");
    assert_ne!(
        landed.message.recent_blockhash, expired_tx.message.recent_blockhash,
        "on a fresh blockhash"
    );
    assert_eq!(
        landed.message.instructions, expired_tx.message.instructions,
        "the same instructions"
    );
    assert!(
        outcome
            .notes
            .iter()
            .any(|n| n.contains(&expired.to_string()) && n.contains("expired")),
        "{:?}",
        outcome.notes
    );
    let ctx = client.pool(&pool_key).await.unwrap();
    assert_eq!(
        client
            .position(&ctx, &alice.pubkey())
            .await
            .unwrap()
            .unwrap()
            .staked_shares,
        10_000_000
    );

    let lossy = Lossy {
        expire: Arc::new(Mutex::new(3)),
        ..Lossy::over(&cluster.transport)
    };
    let mut client = StakeClient::new(lossy.clone(), alice.insecure_clone());
    client.resends = 2;
    let error = client
        .deposit(&pool_key, 10_000_000, None)
        .await
        .unwrap_err();
    assert_eq!(error.name(), "Expired");
    let last = lossy.expired.lock().unwrap().last().unwrap().signatures[0];
    assert_eq!(
        lossy.expired.lock().unwrap().len(),
        3,
        "sent, then re-signed twice"
    );
    assert!(error.to_string().contains(&last.to_string()));
    assert!(error.to_string().contains("safe to retry"));
    assert_eq!(
        client
            .position(&ctx, &alice.pubkey())
            .await
            .unwrap()
            .unwrap()
            .staked_shares,
        10_000_000,
        "nothing changed"
    );
}

/// A transaction that landed and failed is named by its cause, with its signature and the fee
/// it paid, and nothing else changed.
#[tokio::test]
async fn a_transaction_that_landed_and_failed_says_its_fee_was_paid() {
    let (cluster, pool_key, alice) = pool_with_a_depositor().await;
    let lossy = Lossy {
        refusals_land: true,
        ..Lossy::over(&cluster.transport)
    };
    let mut client = StakeClient::new(lossy, alice.insecure_clone());
    // No client-side checks: the wallet's 50 tokens cannot pay 60, as the chain finds.
    client.preflight = false;
    let error = client
        .deposit(&pool_key, 60_000_000, None)
        .await
        .unwrap_err();
    let text = error.to_string();
    assert_eq!(error.name(), "InsufficientFunds", "{text}");
    assert_eq!(error.number(), Some(1), "SPL Token's InsufficientFunds");
    assert!(text.contains("landed and failed"), "{text}");
    assert!(text.contains("its fee of 0.000005 SOL was paid"), "{text}");
    assert!(text.contains("nothing else changed"), "{text}");
    let ctx = client.pool(&pool_key).await.unwrap();
    assert!(client
        .position(&ctx, &alice.pubkey())
        .await
        .unwrap()
        .is_none());
}

/// A fee payer without the SOL for the fees is told before anything lands, with what to do:
/// one that does not exist at all, and one that cannot pay a steep priority fee.
#[tokio::test]
async fn a_payer_without_sol_is_told_how_to_get_some() {
    use stakepool_client::compute_budget::UnitPrice;
    let cluster = Cluster::start().await;
    let broke = Keypair::new();
    let poor = Keypair::new();
    cluster
        .operator
        .send(
            &[token_setup::transfer_sol(
                &cluster.operator.me(),
                &poor.pubkey(),
                1_000_000,
            )],
            vec![],
        )
        .await
        .unwrap();
    for (payer, price) in [
        (broke, UnitPrice::None),
        (poor, UnitPrice::Fixed(1_000_000_000)),
    ] {
        let recorder = Lossy::over(&cluster.transport);
        let mut client = StakeClient::new(recorder.clone(), payer);
        client.unit_price = Some(price);
        // A set limit: no simulation runs first, so the balance check itself answers.
        client.unit_limit = Some(50_000);
        let error = client
            .create_pool(&cluster.mint, 0, 1000, Default::default())
            .await
            .map(drop)
            .unwrap_err();
        assert_eq!(error.name(), "InsufficientSol", "{error}");
        let text = error.to_string();
        assert!(
            text.contains(&client.me().to_string()) && text.contains("send SOL to"),
            "{text}"
        );
        // 5,000 lamports a signature, and 50,000 units at the price.
        let fee: u64 = 5_000
            + if price == UnitPrice::None {
                0
            } else {
                50_000_000
            };
        let need = stakepool_client::amount::format_ui_amount(fee, 9);
        assert!(text.contains(&format!("this needs {need} SOL")), "{text}");
        assert!(recorder.landed.lock().unwrap().is_empty(), "nothing sent");
    }
}

/// `--fee-payer`: another keypair pays the fees and signs; the owner still owns, signs and
/// pays no fee.
#[tokio::test]
async fn a_fee_payer_pays_the_fees_and_the_owner_nothing() {
    let cluster = Cluster::start().await;
    let mut admin = cluster.wallet(0).await;
    let pool = create_pool(&cluster, &mut admin, "1000", &[]).await;
    let pool_key: Pubkey = pool.parse().unwrap();
    let mut alice = cluster.wallet(50_000_000).await;
    ok(&mut alice, &["deposit", "--pool", &pool, "10"]).await;
    let sponsor = Keypair::new();
    cluster.fund(&sponsor.pubkey(), 0).await;
    let lamports = |key: Pubkey| {
        let transport = cluster.transport.clone();
        async move {
            transport
                .account(&key)
                .await
                .unwrap()
                .map_or(0, |a| a.lamports)
        }
    };
    let (alice_before, sponsor_before) =
        (lamports(alice.me()).await, lamports(sponsor.pubkey()).await);
    alice.fee_payer = Some(Box::new(sponsor.insecure_clone()));
    let deposited = ok(&mut alice, &["deposit", "--pool", &pool, "5"]).await;
    assert_eq!(raw(&deposited, "amount"), 5_000_000);
    assert_eq!(
        lamports(alice.me()).await,
        alice_before,
        "the owner paid nothing"
    );
    assert_eq!(
        lamports(sponsor.pubkey()).await,
        sponsor_before - 2 * stakepool_client::client::LAMPORTS_PER_SIGNATURE,
        "the fee payer paid two signatures' fees"
    );
    let ctx = alice.pool(&pool_key).await.unwrap();
    assert_eq!(
        alice
            .position(&ctx, &alice.me())
            .await
            .unwrap()
            .unwrap()
            .staked_shares,
        15_000_000
    );
}

/// An admin change signed where the admin key is (`--sign-only`, which prints the
/// signature, blockhash, compute budget and message) and completed elsewhere with only the
/// admin's public key and `--signer PUBKEY=SIGNATURE`: it lands once, as signed. A command
/// that differs from what was signed cannot use the signature, and changes nothing.
#[tokio::test]
async fn an_admin_change_signed_offline_is_completed_with_its_signature() {
    use stakepool_client::compute_budget::UnitPrice;
    let cluster = Cluster::start().await;
    let admin_key = Keypair::new();
    cluster.fund(&admin_key.pubkey(), 0).await;
    let mut admin = StakeClient::new(cluster.transport.clone(), admin_key.insecure_clone());
    let pool = create_pool(&cluster, &mut admin, "1000", &[]).await;
    let pool_key: Pubkey = pool.parse().unwrap();

    // Where the key is: sign only, with a priority fee, as a cluster transaction would be.
    admin.unit_price = Some(UnitPrice::Fixed(1_000));
    let signed = run(
        &mut admin,
        &["set-apr", "--pool", &pool, "500", "--sign-only"],
    )
    .await
    .unwrap();
    assert!(signed.text.contains("Complete it with"), "{}", signed.text);
    let json = signed.json;
    assert_eq!(json["sign_only"], true);
    let signature = json["signers"][0]["signature"]
        .as_str()
        .unwrap()
        .to_string();
    let blockhash = json["blockhash"].as_str().unwrap().to_string();
    let limit = json["compute_unit_limit"].as_u64().unwrap().to_string();
    assert!(json["message_base64"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    let ctx = admin.pool(&pool_key).await.unwrap();
    assert_eq!(ctx.pool.apr_bps, 1000, "nothing was sent");

    // Elsewhere: only the admin's public key and the signature.
    let presigned = format!("{}={signature}", admin_key.pubkey());
    let presigner = stakepool::cli::signing::signer_from(
        &admin_key.pubkey().to_string(),
        "keypair",
        &[stakepool::cli::signing::parse_presigned(&presigned).unwrap()],
        false,
        &mut stakepool_client::keypair_source::Console {
            input: &mut &b""[..],
            prompts: &mut Vec::new(),
            hide_input: false,
        },
        Default::default(),
    )
    .unwrap();
    let mut online = StakeClient::new(cluster.transport.clone(), Keypair::new());
    online.signer = presigner;
    online.unit_price = Some(UnitPrice::Fixed(1_000));
    let complete = [
        "--blockhash",
        &blockhash,
        "--with-compute-unit-limit",
        &limit,
    ];
    // A different rate is another message: the signature does not fit it.
    let mut wrong = vec!["set-apr", "--pool", &pool, "600"];
    wrong.extend_from_slice(&complete);
    let error = run(&mut online, &wrong).await.unwrap_err().to_string();
    assert!(
        error.contains("only fits the very message it signed"),
        "{error}"
    );
    assert_eq!(online.pool(&pool_key).await.unwrap().pool.apr_bps, 1000);

    let mut args = vec!["set-apr", "--pool", &pool, "500"];
    args.extend_from_slice(&complete);
    let landed = ok(&mut online, &args).await;
    assert_eq!(landed["signature"].as_str().unwrap(), signature);
    assert_eq!(online.pool(&pool_key).await.unwrap().pool.apr_bps, 500);
}

/// A transaction's unit limit has room for a path its simulation did not take: a claim
/// simulated while nothing was owed yet (no transfer) lands a day later owing a day's rewards,
/// and pays them. In the VM the transaction's limit is metered as on a cluster, so a limit
/// sized on the simulation alone fails there with `ProgramFailedToComplete`.
#[tokio::test]
async fn a_claim_simulated_owing_nothing_lands_a_day_later_and_pays() {
    use stakepool_client::compute_budget::UnitPrice;
    let (mut cluster, pool, alice) = pool_with_a_depositor().await;
    let pool_text = pool.to_string();
    ok(
        &mut cluster.operator,
        &["fund-rewards", "--pool", &pool_text, "10"],
    )
    .await;
    let on_time = StakeClient::new(cluster.transport.clone(), alice.insecure_clone());
    on_time.deposit(&pool, 50_000_000, None).await.unwrap();
    let late = LandsLate {
        inner: cluster.transport.clone(),
        delay: 86_400,
    };
    let mut alice = StakeClient::new(late, alice.insecure_clone());
    // A price makes the client size the unit limit from a simulation (without one it sends no
    // budget and the runtime's default of 200,000 per instruction applies).
    alice.unit_price = Some(UnitPrice::Fixed(1_000));
    let ctx = alice.pool(&pool).await.unwrap();
    let wallet = alice.my_token_account(&ctx);
    let before = alice.token_balance(&wallet).await.unwrap().unwrap();

    let (_, paid) = alice.claim(&pool, None).await.unwrap();
    // 50 tokens at 10 % for a day: 50,000,000 × 0.1 / 365, rounded down.
    assert_eq!(paid, 13_698);
    assert_eq!(
        alice.token_balance(&wallet).await.unwrap(),
        Some(before + 13_698)
    );
}

/// A unit limit is what a transaction may spend: a deposit given 5,000 units (it needs about
/// 15,000 with its position) is refused, changes nothing, and the client says the limit ran
/// out and what to do. Only where units are metered (the VM).
#[tokio::test]
async fn a_unit_limit_below_what_the_transaction_spends_is_refused_and_said() {
    use stakepool_client::compute_budget::UnitPrice;
    if !METERS_UNITS {
        return;
    }
    let (cluster, pool, alice) = pool_with_a_depositor().await;
    let mut client = StakeClient::new(cluster.transport.clone(), alice.insecure_clone());
    client.unit_price = Some(UnitPrice::Fixed(1));
    client.unit_limit = Some(5_000);
    let result = client.deposit(&pool, 10_000_000, None).await;
    let ctx = client.pool(&pool).await.unwrap();
    let position = client.position(&ctx, &client.me()).await.unwrap();
    let error = result.unwrap_err().to_string();
    assert!(
        error.contains(
            "ran out of compute units (its limit: 5000); raise --with-compute-unit-limit"
        ),
        "{error}"
    );
    assert!(position.is_none(), "nothing was deposited");
}
