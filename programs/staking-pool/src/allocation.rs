//! The lending allocation decision: pure functions over integers, no Anchor types.
//!
//! Idle principal (in the vault) should be `reserve_bps` of earning principal, rounded up so
//! the reserve is never short by a rounding unit, plus all unbonding principal: principal that
//! has started to leave is never lent. Everything above that target may be lent. Lent
//! principal is tracked apart from the receipt's value: the difference is interest, swept
//! to the reward vault by `harvest`, never counted as principal.

use crate::constants::{BPS_DENOMINATOR, REBALANCE_INTERVAL};

/// What `rebalance` should do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rebalance {
    Lend(u64),
    Recall(u64),
    Nothing,
}

/// Idle principal the pool keeps: `staked × reserve_bps / 10_000`, rounded up, plus every
/// unbonding base unit (a depositor who started to leave is never exposed to the market from
/// then on: `rebalance` recalls it before it unlocks).
pub fn reserve_target(staked: u64, unbonding: u64, reserve_bps: u16) -> u64 {
    let reserve = (u128::from(staked) * u128::from(reserve_bps)).div_ceil(BPS_DENOMINATOR);
    // reserve_bps ≤ 10_000, so reserve ≤ staked, and the target ≤ staked + unbonding.
    (reserve as u64).saturating_add(unbonding)
}

/// Smallest excess over the target worth lending: 1 bps of principal (at least one base
/// unit). Every lend can cost the reward books a unit of share rounding, so dust is not
/// moved back and forth by a crank.
pub fn lend_threshold(principal: u64) -> u64 {
    (principal / 10_000).max(1)
}

/// What the pool knows of its lending market when it decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketView {
    /// Liquidity the market can pay out right now (its vault).
    pub liquidity: u64,
    /// What the pool's receipt is worth at the rate the market pays.
    pub receipt_value: u64,
    /// What the market's shares are worth above what it holds (`LendingMarket::deficit`).
    pub deficit: u64,
    /// What the market's shares are promised at its index above what it holds: interest not
    /// funded yet (`LendingMarket::unfunded`).
    pub unfunded: u64,
}

/// Lends what is idle above the target (not while paused, and not dust), or recalls what is
/// missing below it, bounded by what the market can pay now, by what is lent and by what the
/// receipt is worth.
///
/// A market with a deficit promises more than it holds: whoever leaves last loses. The pool
/// never lends into one, and recalls all the principal it can, whatever the target. A market
/// with unfunded interest sells its shares at the index but pays less until it is funded: the
/// pool lends it nothing more until then, and recalls as usual.
pub fn plan_rebalance(
    idle: u64,
    lent: u64,
    target: u64,
    paused: bool,
    market: MarketView,
) -> Rebalance {
    let recall = |amount: u64| match recallable(amount, lent, market) {
        0 => Rebalance::Nothing,
        amount => Rebalance::Recall(amount),
    };
    if market.deficit > 0 {
        return recall(lent);
    }
    // At `idle == target` both branches do nothing (no excess reaches the lend threshold of
    // at least one unit; a recall of zero is nothing), so `>` and `>=` are the same here.
    if idle > target {
        let excess = idle - target;
        if paused || market.unfunded > 0 || excess < lend_threshold(idle.saturating_add(lent)) {
            return Rebalance::Nothing;
        }
        return Rebalance::Lend(excess);
    }
    recall(target - idle)
}

/// How much of `amount` lent principal can come back now: no more than is lent, than the
/// market's vault holds, or than the receipt is worth (`rebalance`, `recall_all`).
pub fn recallable(amount: u64, lent: u64, market: MarketView) -> u64 {
    amount
        .min(lent)
        .min(market.liquidity)
        .min(market.receipt_value)
}

/// Whether `rebalance` may lend (or recall) again, from when it last did. Every lend and every
/// recall can cost the reward books a unit of share rounding, and anyone can crank, so the
/// pool lends at most once and recalls at most once per `REBALANCE_INTERVAL`, each on its own
/// clock: a wallet cycling deposit → rebalance → withdraw → rebalance costs the books at most
/// one lend and one recall per interval however often it cycles, and a lend never holds off
/// the recall that restores the reserve. (A recall inside `withdraw` is charged to the withdrawer instead, and
/// leaving a market with a deficit is never delayed: no lend can follow it while the deficit
/// lasts, so it cannot be cycled.) A clock that went back behind the last move does not lock
/// the crank.
pub fn rebalance_due(last_move_ts: i64, now: i64) -> bool {
    now < last_move_ts || now - last_move_ts >= REBALANCE_INTERVAL
}

/// Whether `rebalance` may recall `amount` now, `last_recall_ts` being its last recall. A
/// recall of at least the lend threshold restores the reserve at once: nobody can cause such a
/// shortfall cheaply (a withdrawal restores the reserve itself, see `withdrawal_recall`, and
/// `request_unbond` takes the caller's own principal out of earning for its whole unbonding
/// period), so a dust recall that spent the clock cannot hold it off. Smaller recalls wait for
/// the interval, so dust cannot be cycled against the reward books.
pub fn recall_due(last_recall_ts: i64, now: i64, amount: u64, principal: u64) -> bool {
    amount >= lend_threshold(principal) || rebalance_due(last_recall_ts, now)
}

/// What a withdrawal recalls from lending, in one CPI, paid for by the withdrawer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WithdrawalRecall {
    /// What idle principal cannot pay: without it the withdrawal fails (`LendingIlliquid`).
    pub needed: u64,
    /// What brings idle principal back up to the reserve target after the withdrawal, as far
    /// as lent principal goes: recalled as far as the market can pay, so a withdrawal never
    /// leaves the reserve short for a crank to find (or be held off from) later. Below the
    /// lend threshold it is left to `rebalance`: not worth a recall's rounding.
    pub restore: u64,
}

impl WithdrawalRecall {
    /// Whether the withdrawal recalls at all (and so needs the lending accounts).
    pub fn wanted(&self) -> bool {
        self.needed > 0 || self.restore > 0
    }

    /// What to recall from `market` with `lent` principal in it: the restoring part only as
    /// far as the market can pay now, the needed part in full (if the market cannot pay it,
    /// the recall fails with `LendingIlliquid` and so does the withdrawal).
    pub fn amount(&self, lent: u64, market: MarketView) -> u64 {
        recallable(self.needed.saturating_add(self.restore), lent, market).max(self.needed)
    }
}

/// The recall a withdrawal of `amount` makes from `idle` principal with `lent` principal in
/// the market, `target_after` being the reserve target once the withdrawn principal has left
/// the books.
pub fn withdrawal_recall(amount: u64, idle: u64, lent: u64, target_after: u64) -> WithdrawalRecall {
    let needed = recall_needed(amount, idle);
    let idle_after = idle.saturating_sub(amount);
    let lent_after = lent.saturating_sub(needed);
    let restore = target_after.saturating_sub(idle_after).min(lent_after);
    let restore = if restore < lend_threshold(idle_after.saturating_add(lent_after)) {
        0
    } else {
        restore
    };
    WithdrawalRecall { needed, restore }
}

/// Interest the receipt holds above lent principal.
pub fn interest(receipt_value: u64, lent: u64) -> u64 {
    receipt_value.saturating_sub(lent)
}

/// Interest that can be taken out of a receipt of `shares` at `rate` while what stays is still
/// worth at least `lent`. The market burns shares rounded up, so taking all of
/// `value − lent` could leave the receipt a unit short of principal; this keeps the smallest
/// share count worth `lent` (`ceil(lent / rate)`) and harvests what the rest is worth.
pub fn harvestable_interest(shares: u64, rate: u128, lent: u64) -> Option<u64> {
    let keep = mock_lending::exchange_rate::shares_for_withdrawal(lent, rate)?;
    mock_lending::exchange_rate::value_of(shares.saturating_sub(keep), rate)
}

/// Interest `harvest` (and `recall_all`) may take now. On top of `harvestable_interest`, two
/// limits keep interest from ever being paid out of principal:
/// - the market's deficit (what its shares are worth above what its vault and loans hold) is
///   interest it would pay that nobody funded; it is not taken;
/// - liquidity the pool's own lent principal would need is not spent on interest.
pub fn harvest_amount(
    safe_interest: u64,
    market_deficit: u64,
    market_liquidity: u64,
    lent: u64,
) -> u64 {
    safe_interest
        .saturating_sub(market_deficit)
        .min(market_liquidity.saturating_sub(lent))
}

/// Principal a withdrawal of `amount` must recall from lending, given the idle principal.
pub fn recall_needed(amount: u64, idle: u64) -> u64 {
    amount.saturating_sub(idle)
}

/// What one market share's rounding can cost at `rate`: a share's worth, rounded up, plus one
/// for the floor of the value. A larger gap between lent principal and the receipt is not
/// rounding.
pub fn share_rounding(rate: u128) -> u64 {
    u64::try_from(rate.div_ceil(mock_lending::constants::RATE_SCALE))
        .unwrap_or(u64::MAX)
        .saturating_add(1)
}

/// The loss a market shows and the pool has not recognised: lent principal above what the
/// receipt is worth at the rate the market pays (`rate`), when the gap is more than one
/// share's rounding (which the reward books cover); zero otherwise.
pub fn unrecognised_loss(lent: u64, receipt_value: u64, rate: u128) -> u64 {
    let gap = lent.saturating_sub(receipt_value);
    if gap <= share_rounding(rate) {
        0
    } else {
        gap
    }
}

/// The lent part of a withdrawal of `amount` out of `principal` of which `lent` is lent:
/// `amount × lent / principal` rounded up (the leaver takes at least their share of what is
/// lent, never more than their share of what is idle), at most `lent` and `amount`.
pub fn lent_part(amount: u64, lent: u64, principal: u64) -> u64 {
    if principal == 0 {
        return 0;
    }
    let part = (u128::from(amount) * u128::from(lent)).div_ceil(u128::from(principal));
    u64::try_from(part)
        .unwrap_or(u64::MAX)
        .min(lent)
        .min(amount)
}

/// Receipt shares a withdrawal in kind hands over for `in_kind` base units of lent principal:
/// what they buy at the market's payable `rate` (rounded down, so never worth more than
/// `in_kind`), at most the `held` shares; none at a rate of zero (nothing is worth anything).
pub fn in_kind_shares(in_kind: u64, rate: u128, held: u64) -> u64 {
    mock_lending::exchange_rate::shares_for_deposit(in_kind, rate)
        .unwrap_or(0)
        .min(held)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A sound market holding `liquidity`, and a receipt worth all that is lent.
    fn liquid(liquidity: u64) -> MarketView {
        MarketView {
            liquidity,
            receipt_value: u64::MAX,
            deficit: 0,
            unfunded: 0,
        }
    }

    #[test]
    fn rebalance_is_due_again_exactly_one_interval_later_or_when_the_clock_went_back() {
        let last = 1_000_000;
        assert!(!rebalance_due(last, last));
        assert!(!rebalance_due(last, last + REBALANCE_INTERVAL - 1));
        assert!(rebalance_due(last, last + REBALANCE_INTERVAL));
        // A clock behind the last move does not lock the crank; the same moment is not behind.
        assert!(rebalance_due(last, last - 1));
    }

    #[test]
    fn a_withdrawal_recalls_only_when_it_needs_to_or_restores_the_reserve() {
        let recall = |needed, restore| WithdrawalRecall { needed, restore };
        assert!(!recall(0, 0).wanted());
        assert!(recall(1, 0).wanted());
        assert!(recall(0, 1).wanted());
        assert!(recall(5, 7).wanted());
        // The needed part in full even where the market cannot pay it (the CPI then fails);
        // the restoring part only as far as the market pays.
        let market = liquid(10);
        assert_eq!(recall(4, 3).amount(100, market), 7);
        assert_eq!(recall(4, 30).amount(100, market), 10);
        assert_eq!(recall(15, 3).amount(100, market), 15);
        assert_eq!(recall(0, 0).amount(100, market), 0);
    }

    #[test]
    fn a_restore_of_exactly_the_lend_threshold_is_recalled_and_below_it_is_left() {
        // 1,000,000 principal after: the threshold is 100. Withdrawing 10 of 210 idle with
        // 999,800 lent and a target of 300 leaves idle 200: 100 short, exactly the threshold.
        let at = withdrawal_recall(10, 210, 999_800, 300);
        assert_eq!(
            at,
            WithdrawalRecall {
                needed: 0,
                restore: 100
            }
        );
        // One unit less short: dust, left to rebalance.
        let below = withdrawal_recall(10, 211, 999_799, 300);
        assert_eq!(
            below,
            WithdrawalRecall {
                needed: 0,
                restore: 0
            }
        );
    }

    #[test]
    fn a_market_with_a_deficit_gets_nothing_more_and_is_left_as_far_as_it_pays() {
        let unsound = |liquidity, receipt_value| MarketView {
            liquidity,
            receipt_value,
            deficit: 6_400,
            unfunded: 6_400,
        };
        // Idle far above the target: a sound market would get 800; this one gets nothing and
        // all lent principal comes back.
        assert_eq!(
            plan_rebalance(1_000, 800, 360, false, unsound(10_000, 864)),
            Rebalance::Recall(800)
        );
        // As far as its vault, and the receipt, can pay.
        assert_eq!(
            plan_rebalance(1_000, 800, 360, false, unsound(300, 864)),
            Rebalance::Recall(300)
        );
        assert_eq!(
            plan_rebalance(1_000, 800, 360, false, unsound(10_000, 700)),
            Rebalance::Recall(700)
        );
        assert_eq!(
            plan_rebalance(1_000, 0, 200, false, unsound(10_000, 0)),
            Rebalance::Nothing
        );
    }

    #[test]
    fn rebalance_moves_tokens_at_most_once_an_interval() {
        assert!(rebalance_due(0, REBALANCE_INTERVAL));
        assert!(!rebalance_due(100, 100 + REBALANCE_INTERVAL - 1));
        assert!(rebalance_due(100, 100 + REBALANCE_INTERVAL));
        // A clock behind the last move does not lock the crank.
        assert!(rebalance_due(100, 99));
    }

    #[test]
    fn unbonding_principal_is_kept_idle_on_top_of_the_reserve() {
        // 800 earning at 20 % keeps 160; 200 unbonding is kept whole: 360.
        assert_eq!(reserve_target(800, 200, 2_000), 360);
        // 360 idle of 1,000: nothing to lend; 100 idle: 260 recalled.
        assert_eq!(
            plan_rebalance(360, 640, 360, false, liquid(10_000)),
            Rebalance::Nothing
        );
        assert_eq!(
            plan_rebalance(100, 900, 360, false, liquid(10_000)),
            Rebalance::Recall(260)
        );
    }

    #[test]
    fn a_withdrawal_restores_the_reserve_it_would_leave_short() {
        // 200 idle at its target of 1,000 principal (20 %), 800 lent. Withdrawing 100 of
        // earning principal leaves 100 idle against a target of 180: 80 is restored.
        assert_eq!(
            withdrawal_recall(100, 200, 800, 180),
            WithdrawalRecall {
                needed: 0,
                restore: 80
            }
        );
        // Withdrawing 300: 100 needed, then the target of 140 restored.
        assert_eq!(
            withdrawal_recall(300, 200, 800, 140),
            WithdrawalRecall {
                needed: 100,
                restore: 140
            }
        );
        // Unlocked unbonding principal leaves with its own place in the target: no shortfall.
        assert_eq!(
            withdrawal_recall(100, 300, 700, 200),
            WithdrawalRecall {
                needed: 0,
                restore: 0
            }
        );
        // A shortfall under the lend threshold (1 bps of 999,901 = 99) is left to the crank:
        // 99 out leaves 199,901 idle against a target of 199,981.
        assert_eq!(
            withdrawal_recall(99, 200_000, 800_000, 199_981),
            WithdrawalRecall {
                needed: 0,
                restore: 0
            }
        );
        // Never more than is lent.
        assert_eq!(
            withdrawal_recall(150, 200, 30, 180),
            WithdrawalRecall {
                needed: 0,
                restore: 30
            }
        );
    }

    #[test]
    fn a_recall_of_the_lend_threshold_or_more_is_due_at_once() {
        // Recalled 10 s ago: dust waits for the interval, 1 bps of principal does not.
        assert!(!recall_due(1_000, 1_010, 99, 1_000_000));
        assert!(recall_due(1_000, 1_010, 100, 1_000_000));
        assert!(recall_due(1_000, 1_000 + REBALANCE_INTERVAL, 1, 1_000_000));
    }

    #[test]
    fn twenty_percent_reserve_of_a_thousand_lends_eight_hundred() {
        let target = reserve_target(1_000, 0, 2_000);
        assert_eq!(target, 200);
        assert_eq!(
            plan_rebalance(1_000, 0, target, false, liquid(0)),
            Rebalance::Lend(800)
        );
        assert_eq!(
            plan_rebalance(200, 800, target, false, liquid(800)),
            Rebalance::Nothing
        );
    }

    #[test]
    fn harvest_leaves_the_receipt_worth_its_principal() {
        use mock_lending::exchange_rate::{shares_for_withdrawal, value_of};
        let rate = mock_lending::constants::RATE_SCALE * 108 / 100;
        // 800 shares bought at 1.0 are worth 864 at 1.08; 64 of interest, but burning
        // ceil(64 / 1.08) = 60 shares would leave 799.2. 63 is the most that keeps 800.
        let x = harvestable_interest(800, rate, 800).unwrap();
        assert_eq!(x, 63);
        let left = 800 - shares_for_withdrawal(x, rate).unwrap();
        assert!(value_of(left, rate).unwrap() >= 800);
    }

    #[test]
    fn unfunded_interest_and_principal_liquidity_are_never_harvested() {
        // Funded market: 864 of claims against 800 lent + 64 funded.
        assert_eq!(harvest_amount(63, 0, 864, 800), 63);
        // An unbacked market nobody funded: the 64 of claims above assets is a deficit.
        assert_eq!(harvest_amount(63, 64, 800, 800), 0);
        // Illiquid: the vault holds less than the pool's principal; interest waits.
        assert_eq!(harvest_amount(63, 0, 114, 800), 0);
        assert_eq!(harvest_amount(63, 0, 850, 800), 50);
    }

    #[test]
    fn a_market_with_unfunded_interest_gets_nothing_more_until_it_is_funded() {
        let unfunded = MarketView {
            unfunded: 64,
            ..liquid(10_000)
        };
        assert_eq!(
            plan_rebalance(1_000, 0, 200, false, unfunded),
            Rebalance::Nothing
        );
        // It still pays back what the reserve needs.
        assert_eq!(
            plan_rebalance(100, 900, 500, false, unfunded),
            Rebalance::Recall(400)
        );
    }

    #[test]
    fn paused_pools_recall_but_never_lend() {
        assert_eq!(
            plan_rebalance(1_000, 0, 200, true, liquid(0)),
            Rebalance::Nothing
        );
        assert_eq!(
            plan_rebalance(100, 900, 500, true, liquid(10_000)),
            Rebalance::Recall(400)
        );
    }

    #[test]
    fn dust_above_the_target_is_not_lent() {
        // 1 bps of 1,000,000 is 100.
        assert_eq!(
            plan_rebalance(200_099, 800_000, 200_000, false, liquid(0)),
            Rebalance::Nothing
        );
        assert_eq!(
            plan_rebalance(200_100, 800_000, 200_000, false, liquid(0)),
            Rebalance::Lend(100)
        );
    }

    #[test]
    fn recalls_are_bounded_by_market_liquidity() {
        assert_eq!(
            plan_rebalance(0, 900, 500, false, liquid(120)),
            Rebalance::Recall(120)
        );
        assert_eq!(
            plan_rebalance(0, 900, 500, false, liquid(0)),
            Rebalance::Nothing
        );
    }

    proptest! {
        #[test]
        fn the_reserve_target_keeps_all_unbonding_and_never_exceeds_principal(
            staked in 0u64..=u64::MAX / 2,
            unbonding in 0u64..=u64::MAX / 2,
            reserve in 0u16..=10_000,
        ) {
            let target = reserve_target(staked, unbonding, reserve);
            prop_assert!(target <= staked + unbonding);
            prop_assert!(target >= unbonding);
            let reserve_part = u128::from(target - unbonding);
            prop_assert!(reserve_part * 10_000 >= u128::from(staked) * u128::from(reserve));
            prop_assert!(reserve_part * 10_000 < u128::from(staked) * u128::from(reserve) + 10_000);
        }

        /// After a withdrawal's recall, idle covers the withdrawal and then the target (up to
        /// what is lent), or is short of the target by less than the lend threshold.
        #[test]
        fn a_withdrawal_leaves_the_reserve_whole_when_the_market_can_pay(
            idle in 0u64..=1u64 << 60,
            lent in 0u64..=1u64 << 60,
            amount in 0u64..=1u64 << 61,
            target_after in 0u64..=1u64 << 61,
        ) {
            prop_assume!(amount <= idle + lent);
            let WithdrawalRecall { needed, restore } =
                withdrawal_recall(amount, idle, lent, target_after);
            prop_assert_eq!(needed, amount.saturating_sub(idle));
            prop_assert!(needed + restore <= lent);
            let idle_after = idle + needed + restore - amount;
            let lent_after = lent - needed - restore;
            prop_assert!(
                idle_after >= target_after
                    || lent_after == 0
                    || target_after - idle_after < lend_threshold(idle_after + lent_after)
            );
        }

        /// What harvest takes leaves the receipt worth at least lent principal, and it is
        /// within a rate's worth of all the interest.
        #[test]
        fn harvest_is_maximal_and_safe(
            lent in 0u64..=1_000_000_000_000,
            extra in 0u64..=1_000_000_000,
            apr in 0u32..=mock_lending::constants::MAX_SUPPLY_APR_BPS,
            elapsed in 0i64..=5 * 365 * 86_400,
        ) {
            use mock_lending::exchange_rate::*;
            let scale = mock_lending::constants::RATE_SCALE;
            let rate = rate_at(scale, 0, apr, elapsed).unwrap();
            // Shares worth at least `lent` (the pool's own deposits always are).
            let shares = shares_for_withdrawal(lent, rate).unwrap() + extra;
            let x = harvestable_interest(shares, rate, lent).unwrap();
            let burned = shares_for_withdrawal(x, rate).unwrap();
            prop_assert!(burned <= shares);
            prop_assert!(value_of(shares - burned, rate).unwrap() >= lent);
            let all_interest = interest(value_of(shares, rate).unwrap(), lent);
            prop_assert!(x <= all_interest);
            prop_assert!(u128::from(all_interest - x) <= rate / scale + 1);
        }

        #[test]
        fn a_rebalance_never_overshoots_the_target(
            idle in 0u64..=u64::MAX / 2,
            lent in 0u64..=u64::MAX / 2,
            reserve in 0u16..=10_000,
            liquidity in any::<u64>(),
            paused in any::<bool>(),
        ) {
            let target = reserve_target(idle + lent, 0, reserve);
            match plan_rebalance(idle, lent, target, paused, liquid(liquidity)) {
                Rebalance::Lend(x) => {
                    prop_assert!(!paused);
                    prop_assert_eq!(idle - x, target);
                }
                Rebalance::Recall(x) => {
                    prop_assert!(x <= lent && x <= liquidity);
                    prop_assert!(idle + x <= target);
                }
                Rebalance::Nothing => {}
            }
        }
    }

    #[test]
    fn a_gap_of_one_share_is_rounding_and_more_is_a_loss() {
        let rate = mock_lending::constants::RATE_SCALE;
        assert_eq!(share_rounding(rate), 2);
        assert_eq!(unrecognised_loss(1_000, 998, rate), 0);
        assert_eq!(unrecognised_loss(1_000, 997, rate), 3);
        assert_eq!(unrecognised_loss(1_000, 1_200, rate), 0);
        assert_eq!(unrecognised_loss(1_000, 0, 0), 1_000);
    }
    #[test]
    fn the_lent_part_is_pro_rata_rounded_towards_the_market() {
        assert_eq!(lent_part(100, 750, 1_000), 75);
        assert_eq!(lent_part(1, 750, 1_000), 1);
        assert_eq!(lent_part(3, 1, 1_000), 1);
        assert_eq!(lent_part(1_000, 750, 1_000), 750);
        assert_eq!(lent_part(10, 0, 1_000), 0);
        assert_eq!(lent_part(10, 5, 0), 0);
        // A lent figure a unit above principal after a write-down's rounding.
        assert_eq!(lent_part(1_000, 1_001, 1_000), 1_000);
    }

    #[test]
    fn in_kind_shares_are_worth_at_most_the_lent_part() {
        let rate = mock_lending::constants::RATE_SCALE * 3 / 4;
        assert_eq!(in_kind_shares(24_000, rate, 80_000), 32_000);
        assert_eq!(in_kind_shares(24_000, rate, 10_000), 10_000);
        assert_eq!(in_kind_shares(24_000, 0, 80_000), 0);
    }
}
