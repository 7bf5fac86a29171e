//! The VM tier's event audit for the mock lending market, alongside the pool's
//! (`event_checks`): after every successful instruction of either program, the market events
//! it emitted (directly, or inside the pool's CPIs) must match the market and receipt
//! accounts afterwards, and their token flows must add up to the liquidity vault's change.
use std::collections::HashMap;

use anchor_lang::prelude::Pubkey;
use anchor_lang::Discriminator;
use mock_lending::events::*;
use mock_lending::state::{Market, Receipt};
use stakepool_client::pda;

use super::event_checks::{anchor, changed, decode_all, events_enum, token, Accounts, Audit};

events_enum!(
    MarketEvent, decode_market_event;
    MarketInitialized,
    ReceiptOpened,
    LiquidityDeposited,
    LiquidityWithdrawn,
    InterestFunded,
    LoanChanged,
    ValuationChanged,
    AuthorityChanged,
    LoansWrittenOff,
    LoansRecovered,
    SharesTransferred,
);

fn market_of(event: &MarketEvent) -> Pubkey {
    match event {
        MarketEvent::MarketInitialized(e) => e.market,
        MarketEvent::ReceiptOpened(e) => e.market,
        MarketEvent::LiquidityDeposited(e) => e.market,
        MarketEvent::LiquidityWithdrawn(e) => e.market,
        MarketEvent::InterestFunded(e) => e.market,
        MarketEvent::LoanChanged(e) => e.market,
        MarketEvent::ValuationChanged(e) => e.market,
        MarketEvent::AuthorityChanged(e) => e.market,
        MarketEvent::LoansWrittenOff(e) => e.market,
        MarketEvent::LoansRecovered(e) => e.market,
        MarketEvent::SharesTransferred(e) => e.market,
    }
}

/// Audits the market events of one successful instruction; `top_level` when the market's
/// own instruction (then a changed account must come with an event).
pub(super) fn check(
    logs: &[String],
    before: &Accounts,
    after: &Accounts,
    top_level: bool,
) -> Vec<String> {
    let mut audit = Audit::default();
    let (events, problems) = decode_all(logs, decode_market_event);
    audit.problems.extend(problems);
    if top_level && changed(before, after) && events.is_empty() {
        audit
            .problems
            .push("market accounts changed but no market event was emitted".into());
    }
    // Liquidity flows per market, share changes per receipt (by address), and each market's
    // total shares as the events chain them (one instruction may move shares twice:
    // `recall_all`).
    let mut vault_flows: HashMap<Pubkey, i128> = HashMap::new();
    let mut share_flows: HashMap<Pubkey, i128> = HashMap::new();
    let mut totals: HashMap<Pubkey, i128> = HashMap::new();
    for event in &events {
        let key = market_of(event);
        let Some(market) = anchor::<Market>(after, &key) else {
            audit.problems.push(format!(
                "a market event names market {key}, not an account afterwards"
            ));
            continue;
        };
        let flow = vault_flows.entry(key).or_default();
        let wide = i128::from;
        let total = totals
            .entry(key)
            .or_insert_with(|| anchor::<Market>(before, &key).map_or(0, |m| wide(m.total_shares)));
        match event {
            MarketEvent::MarketInitialized(e) => audit.expect(
                "MarketInitialized: authority, mint, APR",
                (e.authority, e.mint, e.supply_apr_bps),
                (market.authority, market.mint, market.supply_apr_bps),
            ),
            MarketEvent::ReceiptOpened(e) => {
                audit.expect(
                    "ReceiptOpened: receipt address",
                    e.receipt,
                    pda::receipt(&e.market, &e.owner).0,
                );
                audit.expect(
                    "ReceiptOpened: receipt exists for its market and owner",
                    Some((e.market, e.owner)),
                    anchor::<Receipt>(after, &e.receipt).map(|r| (r.market, r.owner)),
                );
            }
            MarketEvent::LiquidityDeposited(e) => {
                *flow += wide(e.amount);
                *share_flows
                    .entry(pda::receipt(&key, &e.owner).0)
                    .or_default() += wide(e.shares);
                *total += wide(e.shares);
                audit.expect(
                    "LiquidityDeposited: total shares",
                    wide(e.total_shares),
                    *total,
                );
            }
            MarketEvent::LiquidityWithdrawn(e) => {
                *flow -= wide(e.amount);
                *share_flows
                    .entry(pda::receipt(&key, &e.owner).0)
                    .or_default() -= wide(e.shares_burned);
                *total -= wide(e.shares_burned);
                audit.expect(
                    "LiquidityWithdrawn: total shares",
                    wide(e.total_shares),
                    *total,
                );
            }
            MarketEvent::InterestFunded(e) => *flow += wide(e.amount),
            MarketEvent::LoanChanged(e) => {
                *flow -= e.borrowed;
                audit.expect(
                    "LoanChanged: outstanding loans",
                    e.outstanding_loans,
                    market.outstanding_loans,
                );
            }
            MarketEvent::ValuationChanged(e) => {
                audit.expect("ValuationChanged: unbacked", e.unbacked, market.unbacked)
            }
            MarketEvent::LoansWrittenOff(e) => audit.expect(
                "LoansWrittenOff: outstanding and written-off loans",
                (e.outstanding_loans, e.written_off),
                (market.outstanding_loans, market.written_off),
            ),
            MarketEvent::LoansRecovered(e) => {
                *flow += wide(e.amount);
                audit.expect(
                    "LoansRecovered: written-off loans",
                    e.written_off,
                    market.written_off,
                );
            }
            MarketEvent::SharesTransferred(e) => {
                *share_flows.entry(e.from).or_default() -= wide(e.shares);
                *share_flows.entry(e.to).or_default() += wide(e.shares);
                let shares = |receipt| anchor::<Receipt>(after, receipt).map(|r| r.shares);
                audit.expect(
                    "SharesTransferred: receipts afterwards",
                    (Some(e.from_shares), Some(e.to_shares)),
                    (shares(&e.from), shares(&e.to)),
                );
            }
            MarketEvent::AuthorityChanged(e) => {
                audit.expect(
                    "AuthorityChanged: new authority",
                    e.new_authority,
                    market.authority,
                );
                if let Some(old) = anchor::<Market>(before, &key) {
                    audit.expect(
                        "AuthorityChanged: old authority",
                        e.old_authority,
                        old.authority,
                    );
                }
            }
        }
    }
    for (key, total) in totals {
        if let Some(market) = anchor::<Market>(after, &key) {
            audit.expect(
                "total shares the events add up to",
                total,
                i128::from(market.total_shares),
            );
        }
    }
    for (key, flow) in vault_flows {
        let Some(market) = anchor::<Market>(after, &key) else {
            continue;
        };
        let vault = market.liquidity_vault;
        audit.expect(
            "market liquidity vault change",
            flow,
            token(after, &vault) - token(before, &vault),
        );
    }
    for (receipt, flow) in share_flows {
        let shares =
            |accounts: &Accounts| anchor::<Receipt>(accounts, &receipt).map_or(0, |r| r.shares);
        audit.expect(
            "receipt share change",
            flow,
            i128::from(shares(after)) - i128::from(shares(before)),
        );
    }
    audit.problems
}
