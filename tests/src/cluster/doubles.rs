//! Transports over the cluster that stage what a real network does to a client: another
//! transaction landing first, a transaction landing later than simulated, sends that expire, a
//! fee market, a node reporting a refusal as landed, and an account nobody can read among
//! those a search returns.
use std::sync::{Arc, Mutex};

use anchor_lang::prelude::Pubkey;
use stakepool_client::transport::{
    Account, Hash, Landed, Refusal, Signature, Simulation, Transaction, Transport, TransportError,
};

use super::ClusterTransport;

/// A cluster on which one other transaction lands just before the next one sent: the race
/// between reading a pool and a withdrawal landing. Records what it forwarded.
#[derive(Clone)]
pub struct LandsFirst {
    pub inner: ClusterTransport,
    pub first: Arc<Mutex<Option<Transaction>>>,
    pub forwarded: Arc<Mutex<Vec<Transaction>>>,
}

impl Transport for LandsFirst {
    fn endpoint(&self) -> String {
        self.inner.endpoint()
    }
    async fn account(&self, address: &Pubkey) -> Result<Option<Account>, TransportError> {
        self.inner.account(address).await
    }
    async fn latest_blockhash(&self) -> Result<Hash, TransportError> {
        self.inner.latest_blockhash().await
    }
    async fn send(&self, transaction: &Transaction) -> Result<Signature, TransportError> {
        let first = self.first.lock().unwrap().take();
        if let Some(first) = first {
            self.inner
                .send(&first)
                .await
                .expect("the other transaction lands");
        }
        self.forwarded.lock().unwrap().push(transaction.clone());
        self.inner.send(transaction).await
    }
    async fn simulate(&self, transaction: &Transaction) -> Result<Simulation, TransportError> {
        self.inner.simulate(transaction).await
    }
}

/// A cluster with a fee market and a lossy network, over the harness's transport: the first
/// `expire` sends never land (reported `Expired`, nothing executed), recent priority fees are
/// `fees`, and what the client asks and sends is recorded.
#[derive(Clone, Default)]
pub struct Lossy {
    pub inner: Option<ClusterTransport>,
    pub expire: Arc<Mutex<usize>>,
    pub fees: Vec<u64>,
    pub fee_queries: Arc<Mutex<Vec<Vec<Pubkey>>>>,
    pub simulated: Arc<Mutex<Vec<Option<u64>>>>,
    pub landed: Arc<Mutex<Vec<Transaction>>>,
    pub expired: Arc<Mutex<Vec<Transaction>>>,
    /// A refusal comes back as a node reports a transaction sent without preflight: it
    /// landed, failed, and paid its fee.
    pub refusals_land: bool,
}

impl Lossy {
    pub fn over(transport: &ClusterTransport) -> Self {
        Self {
            inner: Some(transport.clone()),
            ..Self::default()
        }
    }
    fn inner(&self) -> &ClusterTransport {
        self.inner.as_ref().unwrap()
    }
}

impl Transport for Lossy {
    fn endpoint(&self) -> String {
        self.inner().endpoint()
    }
    async fn account(&self, address: &Pubkey) -> Result<Option<Account>, TransportError> {
        self.inner().account(address).await
    }
    async fn latest_blockhash(&self) -> Result<Hash, TransportError> {
        self.inner().latest_blockhash().await
    }
    async fn send(&self, transaction: &Transaction) -> Result<Signature, TransportError> {
        let drop_it = {
            let mut expire = self.expire.lock().unwrap();
            let drop_it = *expire > 0;
            *expire = expire.saturating_sub(1);
            drop_it
        };
        if drop_it {
            let signature = transaction.signatures[0];
            self.expired.lock().unwrap().push(transaction.clone());
            return Err(TransportError::Expired { signature });
        }
        let signature = match self.inner().send(transaction).await {
            Err(TransportError::Refused(refusal)) if self.refusals_land => {
                return Err(TransportError::Refused(Refusal {
                    landed: Some(Landed {
                        signature: transaction.signatures[0],
                        fee: Some(5_000),
                    }),
                    ..refusal
                }))
            }
            sent => sent?,
        };
        self.landed.lock().unwrap().push(transaction.clone());
        Ok(signature)
    }
    async fn simulate(&self, transaction: &Transaction) -> Result<Simulation, TransportError> {
        let simulation = self.inner().simulate(transaction).await?;
        self.simulated
            .lock()
            .unwrap()
            .push(simulation.units_consumed);
        Ok(simulation)
    }
    async fn recent_prioritization_fees(
        &self,
        writable: &[Pubkey],
    ) -> Result<Vec<u64>, TransportError> {
        self.fee_queries.lock().unwrap().push(writable.to_vec());
        Ok(self.fees.clone())
    }
}

/// The cluster, with one more account of the program among those `getProgramAccounts`
/// returns: it carries a pool's discriminator and nothing a pool of this version can read.
#[derive(Clone)]
pub struct WithUnreadable {
    pub inner: ClusterTransport,
    pub unreadable: Pubkey,
}

impl Transport for WithUnreadable {
    fn endpoint(&self) -> String {
        self.inner.endpoint()
    }
    async fn account(&self, address: &Pubkey) -> Result<Option<Account>, TransportError> {
        self.inner.account(address).await
    }
    async fn latest_blockhash(&self) -> Result<Hash, TransportError> {
        self.inner.latest_blockhash().await
    }
    async fn send(&self, transaction: &Transaction) -> Result<Signature, TransportError> {
        self.inner.send(transaction).await
    }
    async fn simulate(&self, transaction: &Transaction) -> Result<Simulation, TransportError> {
        self.inner.simulate(transaction).await
    }
    async fn program_accounts(
        &self,
        program: &Pubkey,
        filters: &[stakepool_client::transport::Memcmp],
    ) -> Result<Vec<(Pubkey, Account)>, TransportError> {
        let mut found = self.inner.program_accounts(program, filters).await?;
        use anchor_lang::Discriminator;
        let data = [staking_pool::state::Pool::DISCRIMINATOR, &[7u8; 10]].concat();
        found.push((
            self.unreadable,
            Account {
                lamports: 1_000_000,
                data,
                owner: staking_pool::ID,
                executable: false,
                rent_epoch: 0,
            },
        ));
        Ok(found)
    }
}

/// A cluster on which every transaction lands `delay` seconds after the client simulated it:
/// the state it meets has moved on from the one its compute budget was sized on.
#[derive(Clone)]
pub struct LandsLate {
    pub inner: ClusterTransport,
    pub delay: i64,
}

impl Transport for LandsLate {
    fn endpoint(&self) -> String {
        self.inner.endpoint()
    }
    async fn account(&self, address: &Pubkey) -> Result<Option<Account>, TransportError> {
        self.inner.account(address).await
    }
    async fn latest_blockhash(&self) -> Result<Hash, TransportError> {
        self.inner.latest_blockhash().await
    }
    async fn send(&self, transaction: &Transaction) -> Result<Signature, TransportError> {
        let now = self.inner.unix_time().await?;
        super::set_cluster_time(&self.inner, now + self.delay).await;
        self.inner.send(transaction).await
    }
    async fn simulate(&self, transaction: &Transaction) -> Result<Simulation, TransportError> {
        self.inner.simulate(transaction).await
    }
}
