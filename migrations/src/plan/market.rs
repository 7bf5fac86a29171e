//! The pool's lending market: none, an existing one, or a mock market this config creates.
use anchor_lang::prelude::Pubkey;
use mock_lending::state::Market;
use stakepool_client::client::StakeClient;
use stakepool_client::transport::Transport;
use stakepool_client::{accounts, MarketKeys};

use super::mint::PlannedMint;
use super::{PlanError, Planning, Step};
use crate::config::MarketChoice;

impl<T: Transport> Planning<'_, T> {
    /// The market the pool is to lend to, if any. A market the pool will lend to must be the
    /// mock lending program's, for this mint; one this config creates must also be the
    /// payer's, since its authority can move its liquidity.
    pub(super) async fn market(&mut self, mint: &PlannedMint) -> Result<Option<Pubkey>, PlanError> {
        let spec = self.spec;
        match spec.market_choice().map_err(|e| self.fail(e))? {
            MarketChoice::None => Ok(None),
            MarketChoice::Existing(market) => {
                check_market(self.client, &market, &mint.address, None)
                    .await
                    .map_err(|e| self.fail(e))?;
                Ok(Some(market))
            }
            MarketChoice::CreateMock => {
                let keys =
                    MarketKeys::derive(&mint.address, spec.mock_market_id, &mint.token_program);
                if self.client.raw(&keys.market).await?.is_none() {
                    self.steps.push(Step::CreateMockMarket {
                        market: keys.market,
                        mint: mint.address,
                        market_id: spec.mock_market_id,
                        supply_apr_bps: spec.mock_market_apr_bps,
                    });
                } else {
                    let payer = self.payer();
                    let state =
                        check_market(self.client, &keys.market, &mint.address, Some(&payer))
                            .await
                            .map_err(|e| self.fail(e))?;
                    if state.supply_apr_bps != spec.mock_market_apr_bps {
                        return Err(self.fail(format!(
                            "mock market {} pays {} bps, the config says {}; a mock market's rate \
                             is fixed at creation (choose another mock_market_id)",
                            keys.market, state.supply_apr_bps, spec.mock_market_apr_bps
                        )));
                    }
                }
                Ok(Some(keys.market))
            }
        }
    }
}

/// The market at `address`, checked: owned by the mock lending program, lending `mint`, and
/// (when `authority` is given) controlled by it.
async fn check_market<T: Transport>(
    client: &StakeClient<T>,
    address: &Pubkey,
    mint: &Pubkey,
    authority: Option<&Pubkey>,
) -> Result<Market, String> {
    let account = client
        .raw(address)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("lending market {address} does not exist"))?;
    if account.owner != stakepool_client::program_ids::lending() {
        return Err(format!(
            "{address} is not a market of the lending program {}",
            stakepool_client::program_ids::lending()
        ));
    }
    let market: Market =
        accounts::anchor(&account.data, "lending market").map_err(|e| e.to_string())?;
    if market.mint != *mint {
        return Err(format!(
            "lending market {address} lends {}, not the pool's mint {mint}",
            market.mint
        ));
    }
    if let Some(authority) = authority {
        if market.authority != *authority {
            return Err(format!(
                "mock market {address} was created by {}, not the payer; its authority can \
                 move its liquidity, so the pool will not lend there (choose another mock_market_id)",
                market.authority
            ));
        }
    }
    Ok(market)
}
