//! Sending: every transaction goes through `send`/`send_signed` (dry run or confirmed, refusals
//! named), and the checks and account set-up that come before a send.
use solana_message::Message;

use super::*;

impl<T: Transport> StakeClient<T> {
    pub(super) fn create_my_token_account(
        &self,
        mint: &Pubkey,
        token_program: &Pubkey,
    ) -> Instruction {
        create_associated_token_account_idempotent(&self.me(), &self.me(), mint, token_program)
    }

    /// Refuses early when `account` cannot pay `amount`.
    pub(super) async fn require_balance(
        &self,
        account: &Pubkey,
        mint: &Pubkey,
        amount: u64,
        decimals: u8,
    ) -> Result<(), ClientError> {
        if !self.preflight {
            return Ok(());
        }
        let have = self
            .token_balance(account)
            .await?
            .ok_or(ClientError::NoTokenAccount {
                account: *account,
                mint: *mint,
            })?;
        if have < amount {
            return Err(ClientError::InsufficientBalance {
                account: *account,
                have: format_ui_amount(have, decimals),
                need: format_ui_amount(amount, decimals),
            });
        }
        Ok(())
    }

    pub async fn send(
        &self,
        instructions: &[Instruction],
        notes: Vec<String>,
    ) -> Result<Outcome, ClientError> {
        self.send_signed(instructions, &[], notes).await
    }

    /// Sends with extra signers (a new account's keypair, say) beside the client's signer.
    /// A transaction that expired without landing (it never can now) is signed again on a
    /// fresh blockhash and sent, up to `resends` times: each command runs at most once.
    pub async fn send_signed(
        &self,
        instructions: &[Instruction],
        extra: &[&Keypair],
        mut notes: Vec<String>,
    ) -> Result<Outcome, ClientError> {
        let mut expired = Vec::new();
        loop {
            match self.send_once(instructions, extra).await {
                // On a fixed `--blockhash` a new signature would be the same expired one.
                Err(ClientError::Transport(TransportError::Expired { signature }))
                    if expired.len() < self.resends && self.blockhash.is_none() =>
                {
                    expired.push(signature.to_string())
                }
                Err(error) => return Err(error),
                Ok(sent) => {
                    if !expired.is_empty() {
                        notes.push(format!(
                            "signed again on a fresh blockhash after {} expired without landing",
                            expired.join(", ")
                        ));
                    }
                    return Ok(Outcome { sent, notes });
                }
            }
        }
    }

    async fn send_once(
        &self,
        instructions: &[Instruction],
        extra: &[&Keypair],
    ) -> Result<Sent, ClientError> {
        let blockhash = match self.blockhash {
            Some(blockhash) => blockhash,
            None => self
                .transport
                .latest_blockhash()
                .await
                .map_err(ClientError::Transport)?,
        };
        let mut signers: Vec<&dyn Signer> = self.fee_payer.iter().map(|s| s.as_ref()).collect();
        signers.push(self.signer.as_ref());
        signers.extend(extra.iter().map(|k| *k as &dyn Signer));
        let payer = self.payer();
        let sign = |instructions: &[Instruction]| {
            let message = Message::new_with_blockhash(instructions, Some(&payer), &blockhash);
            let mut transaction = Transaction::new_unsigned(message);
            let signed = if self.sign_only {
                transaction.try_partial_sign(&signers, blockhash)
            } else {
                transaction.try_sign(&signers, blockhash)
            };
            signed.map(|()| transaction).map_err(|e| {
                ClientError::Failed(format!(
                    "cannot sign: {e}; a --signer signature only fits the very message it signed: pass the same command, --blockhash and compute budget that --sign-only printed"
                ))
            })
        };
        let (transaction, limit, micro_lamports) = match self.unit_price {
            None => (sign(instructions)?, None, 0),
            Some(price) => {
                let micro_lamports = self.micro_lamports(price, instructions).await?;
                let with_budget = |limit| {
                    [
                        compute_budget::instructions(limit, micro_lamports),
                        instructions.to_vec(),
                    ]
                    .concat()
                };
                let limit = match self.unit_limit {
                    Some(limit) => limit,
                    // Sized from a simulation of the very transaction at the largest limit, and
                    // no price: the simulation checks the payer can pay the fee it implies.
                    None => {
                        let probe = sign(
                            &[
                                compute_budget::instructions(
                                    compute_budget::MAX_COMPUTE_UNIT_LIMIT,
                                    0,
                                ),
                                instructions.to_vec(),
                            ]
                            .concat(),
                        )?;
                        let simulation = self.simulate(&probe).await?;
                        let consumed = simulation
                            .units_consumed
                            .unwrap_or(u64::from(compute_budget::MAX_COMPUTE_UNIT_LIMIT));
                        compute_budget::limit_for(consumed)
                    }
                };
                let transaction = sign(&with_budget(limit))?;
                if !self.sign_only {
                    let signatures = u64::from(transaction.message.header.num_required_signatures);
                    self.require_sol(
                        signatures
                            .saturating_mul(LAMPORTS_PER_SIGNATURE)
                            .saturating_add(compute_budget::priority_fee(limit, micro_lamports)),
                    )
                    .await?;
                }
                (transaction, Some(limit), micro_lamports)
            }
        };
        if self.sign_only {
            return Ok(Sent::SignedOnly(signed_only(
                &transaction,
                limit,
                micro_lamports,
            )));
        }
        if self.dry_run {
            return Ok(Sent::Simulated(self.simulate(&transaction).await?));
        }
        match self.transport.send(&transaction).await {
            Ok(signature) => Ok(Sent::Confirmed(signature)),
            Err(TransportError::Refused(refused)) => {
                let cause = self.refused(&transaction, &refused.error, &refused.logs);
                Err(match refused.landed {
                    Some(landed) => ClientError::LandedAndFailed {
                        signature: landed.signature,
                        fee: landed.fee,
                        cause: Box::new(cause),
                    },
                    None => cause,
                })
            }
            Err(other) => Err(ClientError::Transport(other)),
        }
    }

    /// Simulates; a refusal found there is named like one from the cluster.
    async fn simulate(&self, transaction: &Transaction) -> Result<Simulation, ClientError> {
        let simulation = self
            .transport
            .simulate(transaction)
            .await
            .map_err(ClientError::Transport)?;
        match &simulation.error {
            Some(error) => Err(self.refused(transaction, error, &simulation.logs)),
            None => {
                self.keep_logs(&simulation.logs);
                Ok(simulation)
            }
        }
    }

    fn keep_logs(&self, logs: &[String]) {
        *self.last_logs.lock().expect("logs") = logs.to_vec();
    }

    /// A refusal as one line; running out of SOL says how to get some.
    fn refused(
        &self,
        transaction: &Transaction,
        error: &TransactionError,
        logs: &[String],
    ) -> ClientError {
        self.keep_logs(logs);
        // The System program's `ResultWithNegativeLamports` (custom error 1, also when raised
        // inside a CPI such as Anchor's `init`): the payer of a new account's rent is short.
        let rent_short = matches!(
            error,
            TransactionError::InstructionError(_, InstructionError::Custom(1))
        ) && logs
            .iter()
            .any(|line| line.contains("insufficient lamports"));
        match error {
            TransactionError::InsufficientFundsForFee
            | TransactionError::InsufficientFundsForRent { .. }
            | TransactionError::AccountNotFound => self.no_sol(None),
            _ if rent_short => self.no_sol(None),
            _ => refusal(transaction, error, logs),
        }
    }

    /// The unit price to pay now: fixed, or the recent fees over the accounts it writes.
    async fn micro_lamports(
        &self,
        price: UnitPrice,
        instructions: &[Instruction],
    ) -> Result<u64, ClientError> {
        match price {
            UnitPrice::None => Ok(0),
            UnitPrice::Fixed(micro_lamports) => Ok(micro_lamports),
            UnitPrice::Auto => {
                let mut writable: Vec<Pubkey> = instructions
                    .iter()
                    .flat_map(|instruction| &instruction.accounts)
                    .filter(|meta| meta.is_writable)
                    .map(|meta| meta.pubkey)
                    .collect();
                writable.sort_unstable();
                writable.dedup();
                let fees = self
                    .transport
                    .recent_prioritization_fees(&writable)
                    .await
                    .map_err(ClientError::Transport)?;
                Ok(compute_budget::percentile(
                    &fees,
                    compute_budget::AUTO_PRICE_PERCENTILE,
                ))
            }
        }
    }

    /// Refuses before sending when the fee payer cannot pay `lamports` of fees (any rent the
    /// transaction creates is checked by the simulation, and named the same way).
    async fn require_sol(&self, lamports: u64) -> Result<(), ClientError> {
        if !self.preflight {
            return Ok(());
        }
        let have = self
            .transport
            .account(&self.payer())
            .await
            .map_err(ClientError::Transport)?
            .map_or(0, |account| account.lamports);
        if have < lamports {
            return Err(self.no_sol(Some(lamports)));
        }
        Ok(())
    }

    fn no_sol(&self, need: Option<u64>) -> ClientError {
        let endpoint = self.transport.endpoint();
        let faucet = ["devnet", "localhost", "127.0.0.1"]
            .iter()
            .any(|cluster| endpoint.contains(cluster));
        let payer = self.payer();
        ClientError::InsufficientSol {
            payer,
            need: need.map_or_else(String::new, |lamports| {
                format!(
                    " (this needs {} SOL of fees)",
                    format_ui_amount(lamports, 9)
                )
            }),
            hint: if faucet {
                format!("get some with `solana airdrop 1 {payer} --url {endpoint}`")
            } else {
                format!("send SOL to {payer}")
            },
        }
    }

    pub(super) async fn require_position(&self, ctx: &PoolContext) -> Result<(), ClientError> {
        if self.preflight && self.position(ctx, &self.me()).await?.is_none() {
            return Err(ClientError::NoPosition {
                pool: ctx.address,
                owner: self.me(),
            });
        }
        Ok(())
    }

    pub(super) async fn lending_pool(&self, pool: &Pubkey) -> Result<PoolContext, ClientError> {
        let ctx = self.pool(pool).await?;
        if ctx.keys.lending.is_none() {
            return Err(ClientError::NoLendingMarket(*pool));
        }
        Ok(ctx)
    }

    /// Where tokens paid out go: the given account, or the signer's associated token account
    /// (created in the same transaction if it does not exist).
    pub(super) fn destination(
        &self,
        ctx: &PoolContext,
        to: Option<Pubkey>,
    ) -> (Pubkey, Option<Instruction>) {
        match to {
            Some(to) => (to, None),
            None => (
                self.my_token_account(ctx),
                Some(self.create_my_token_account(&ctx.pool.stake_mint, &ctx.pool.token_program)),
            ),
        }
    }
}

/// The signatures a partly signed transaction holds, and its message, for `--sign-only`.
fn signed_only(transaction: &Transaction, limit: Option<u32>, micro_lamports: u64) -> SignedOnly {
    let message = &transaction.message;
    let required = usize::from(message.header.num_required_signatures);
    let signers = message.account_keys[..required]
        .iter()
        .zip(&transaction.signatures)
        .map(|(key, signature)| {
            (
                *key,
                (*signature != Signature::default()).then_some(*signature),
            )
        })
        .collect();
    let bytes = message.serialize();
    SignedOnly {
        blockhash: message.recent_blockhash,
        signers,
        compute_unit_limit: limit,
        compute_unit_price: micro_lamports,
        message_base64: base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &bytes),
        message_base58: bs58::encode(&bytes).into_string(),
    }
}
