//! The mock lending market's instructions: creating a market, supplying and withdrawing, and the
//! authority's levers (interest funding, simulated borrowers, an unbacked index).
use super::*;

impl<T: Transport> StakeClient<T> {
    pub async fn init_market(
        &self,
        mint: &Pubkey,
        market_id: u16,
        supply_apr_bps: u32,
    ) -> Result<(MarketKeys, Outcome), ClientError> {
        let mint_account = self.mint_account(mint).await?;
        let keys = MarketKeys::derive(mint, market_id, &mint_account.owner);
        let outcome = self
            .send(
                &[lx::init_market(
                    &keys,
                    &self.me(),
                    market_id,
                    supply_apr_bps,
                )],
                vec![],
            )
            .await?;
        Ok((keys, outcome))
    }

    /// The market's mint decimals and the signer's token account for it.
    pub(super) async fn market_side(&self, keys: &MarketKeys) -> Result<(u8, Pubkey), ClientError> {
        let decimals = self.mint_decimals(&keys.mint).await?;
        Ok((
            decimals,
            get_associated_token_address_with_program_id(
                &self.me(),
                &keys.mint,
                &keys.token_program,
            ),
        ))
    }

    pub async fn market_deposit(
        &self,
        market: &Pubkey,
        amount: u64,
    ) -> Result<Outcome, ClientError> {
        let (_, keys) = self.market(market).await?;
        let (decimals, mine) = self.market_side(&keys).await?;
        self.require_balance(&mine, &keys.mint, amount, decimals)
            .await?;
        let mut instructions = Vec::new();
        if self.raw(&keys.receipt(&self.me())).await?.is_none() {
            instructions.push(lx::open_receipt(&keys, &self.me(), &self.me()));
        }
        instructions.push(lx::deposit(&keys, &self.me(), &mine, amount));
        self.send(&instructions, vec![]).await
    }

    pub async fn market_withdraw(
        &self,
        market: &Pubkey,
        amount: u64,
    ) -> Result<Outcome, ClientError> {
        self.take_from_market(market, amount, lx::withdraw).await
    }

    /// Takes `amount` out of the market into the signer's token account (created if needed):
    /// a withdrawal of supplied tokens or a simulated borrow, the instruction `build` makes.
    pub(super) async fn take_from_market(
        &self,
        market: &Pubkey,
        amount: u64,
        build: fn(&MarketKeys, &Pubkey, &Pubkey, u64) -> Instruction,
    ) -> Result<Outcome, ClientError> {
        let (_, keys) = self.market(market).await?;
        let (_, mine) = self.market_side(&keys).await?;
        let create = self.create_my_token_account(&keys.mint, &keys.token_program);
        self.send(&[create, build(&keys, &self.me(), &mine, amount)], vec![])
            .await
    }

    pub async fn market_fund_interest(
        &self,
        market: &Pubkey,
        amount: u64,
    ) -> Result<Outcome, ClientError> {
        self.pay_into_market(market, amount, lx::fund_interest)
            .await
    }

    /// The market authority pays `amount` from its own token account into the market (interest
    /// or a loan repayment): balance checked first, then the instruction `build` makes.
    pub(super) async fn pay_into_market(
        &self,
        market: &Pubkey,
        amount: u64,
        build: fn(&MarketKeys, &Pubkey, &Pubkey, u64) -> Instruction,
    ) -> Result<Outcome, ClientError> {
        let (_, keys) = self.market(market).await?;
        let (decimals, mine) = self.market_side(&keys).await?;
        self.require_balance(&mine, &keys.mint, amount, decimals)
            .await?;
        self.send(&[build(&keys, &self.me(), &mine, amount)], vec![])
            .await
    }

    pub async fn market_borrow(
        &self,
        market: &Pubkey,
        amount: u64,
    ) -> Result<Outcome, ClientError> {
        self.take_from_market(market, amount, lx::simulate_borrow)
            .await
    }

    /// The authority's test lever: the market pays its raw index (`true`) or only what it
    /// holds (`false`).
    pub async fn market_set_unbacked(
        &self,
        market: &Pubkey,
        unbacked: bool,
    ) -> Result<Outcome, ClientError> {
        let (_, keys) = self.market(market).await?;
        self.send(
            &[lx::simulate_unbacked_index(&keys, &self.me(), unbacked)],
            vec![],
        )
        .await
    }

    pub async fn market_repay(&self, market: &Pubkey, amount: u64) -> Result<Outcome, ClientError> {
        self.pay_into_market(market, amount, lx::simulate_repay)
            .await
    }

    /// The authority's test lever: writes `amount` of outstanding loans off as bad debt, so
    /// every share of the market is worth less.
    pub async fn market_default(
        &self,
        market: &Pubkey,
        amount: u64,
    ) -> Result<Outcome, ClientError> {
        let (_, keys) = self.market(market).await?;
        self.send(&[lx::simulate_default(&keys, &self.me(), amount)], vec![])
            .await
    }

    /// The authority puts back `amount` of loans written off (a recovery).
    pub async fn market_recover(
        &self,
        market: &Pubkey,
        amount: u64,
    ) -> Result<Outcome, ClientError> {
        self.pay_into_market(market, amount, lx::simulate_recovery)
            .await
    }
}
