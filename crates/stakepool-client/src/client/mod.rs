//! `StakeClient`: every command of the CLI, every simulator step and the client tests go
//! through these methods, over any `Transport`. Each method checks what a user can get wrong
//! before sending (no such pool, not enough tokens, paused pool) and turns refusals into one
//! line that says what to do.
use anchor_lang::prelude::Pubkey;
use anchor_spl::associated_token::{
    get_associated_token_address_with_program_id,
    spl_associated_token_account::instruction::create_associated_token_account_idempotent,
};
use mock_lending::state::{Market, Receipt};
use solana_hash::Hash;
use solana_instruction::error::InstructionError;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;
use staking_pool::state::{Change, Pool, PoolLimits, Position};
use thiserror::Error;

use crate::accounts::{self, DecodeError};
use crate::amount::{format_ui_amount, AmountError};
use crate::compute_budget::{self, UnitPrice};
use crate::instructions as ix;
use crate::lending_instructions as lx;
use crate::program_errors;
use crate::projection::{self, PoolFigures, PositionFigures};
use crate::transport::{Simulation, Transport, TransportError};
use crate::{MarketKeys, PoolKeys};

mod admin;
mod all;
pub mod changes;
pub mod discovery;
mod errors;
pub mod history;
mod market;
mod positions;
mod reads;
mod sending;

use errors::refusal;
pub use errors::ClientError;

/// How a transaction ended.
#[derive(Debug)]
pub enum Sent {
    Confirmed(Signature),
    /// `--dry-run`: simulated, nothing sent.
    Simulated(Simulation),
    /// `--sign-only`: signed by the signers held here, nothing sent.
    SignedOnly(SignedOnly),
}

/// What `--sign-only` hands to whoever completes the transaction: the same command with
/// `--blockhash`, each `--signer PUBKEY=SIGNATURE`, and the same compute budget rebuilds the
/// very message these signatures sign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedOnly {
    pub blockhash: Hash,
    /// Every required signer, with its signature when it was held here.
    pub signers: Vec<(Pubkey, Option<Signature>)>,
    pub compute_unit_limit: Option<u32>,
    pub compute_unit_price: u64,
    /// The serialized message, for a multisig proposal.
    pub message_base64: String,
    pub message_base58: String,
}

/// What a command did, and anything the user should know about it.
#[derive(Debug)]
pub struct Outcome {
    pub sent: Sent,
    pub notes: Vec<String>,
}

impl Outcome {
    pub fn signature(&self) -> Option<Signature> {
        match self.sent {
            Sent::Confirmed(signature) => Some(signature),
            Sent::Simulated(_) | Sent::SignedOnly(_) => None,
        }
    }
}

/// A pool as the client sees it: the account, its addresses and its mint's decimals.
#[derive(Clone, Debug)]
pub struct PoolContext {
    pub address: Pubkey,
    /// The pool as the next instruction that reads its market will see it: a loss the market
    /// shows and the pool has not recognised yet is already written off here
    /// (`unrecognised_loss`), so every figure and `ALL` amount is what that instruction will use.
    pub pool: Pool,
    /// The loss applied to `pool` above that the chain has not recognised yet (zero when none):
    /// the first instruction that reads the market writes it off every position.
    pub unrecognised_loss: u64,
    pub keys: PoolKeys,
    pub decimals: u8,
}

impl PoolContext {
    pub fn ui(&self, raw: impl Into<u128>) -> String {
        format_ui_amount(raw, self.decimals)
    }
}

pub struct StakeClient<T: Transport> {
    pub transport: T,
    /// Pays fees and signs as owner, funder or admin: a keypair, or a `Presigner` holding a
    /// signature made elsewhere (`--signer`).
    pub signer: Box<dyn Signer>,
    /// Simulate and report; send nothing.
    pub dry_run: bool,
    /// Check what a user can get wrong (paused pool, balance, missing position) before
    /// sending, to say what to do. The simulator turns it off so every refusal it reports is
    /// the programs' own.
    pub preflight: bool,
    /// `Some`: every transaction carries a compute-unit limit sized from its simulation and
    /// this price (the CLI on a cluster). `None`: no compute-budget instructions (the
    /// in-process runs, whose banks have no fee market).
    pub unit_price: Option<UnitPrice>,
    /// How many times a transaction that expired without landing is signed again and sent.
    pub resends: usize,
    /// `--fee-payer`: pays the fees (and signs) instead of `signer`, who still signs as
    /// owner, funder or admin and pays any rent the instructions name it for.
    pub fee_payer: Option<Box<dyn Signer>>,
    /// `--sign-only`: sign with the signers held here and report; send nothing.
    pub sign_only: bool,
    /// `--blockhash`: build on this blockhash instead of the cluster's latest (offline
    /// signing, and completing what `--sign-only` signed).
    pub blockhash: Option<Hash>,
    /// `--with-compute-unit-limit`: this limit instead of one sized by simulation (a
    /// transaction completed from `--sign-only` signatures must carry the limit they signed).
    pub unit_limit: Option<u32>,
    /// The program logs of the last simulation or refusal, for `-v/--verbose`.
    pub last_logs: std::sync::Mutex<Vec<String>>,
}

/// The base fee per signature, in lamports.
pub const LAMPORTS_PER_SIGNATURE: u64 = 5_000;

impl<T: Transport> StakeClient<T> {
    pub fn new(transport: T, signer: impl Signer + 'static) -> Self {
        Self {
            transport,
            signer: Box::new(signer),
            dry_run: false,
            preflight: true,
            unit_price: None,
            resends: 2,
            fee_payer: None,
            sign_only: false,
            blockhash: None,
            unit_limit: None,
            last_logs: Default::default(),
        }
    }

    pub fn me(&self) -> Pubkey {
        self.signer.pubkey()
    }

    /// Whether the transaction is signed for (or completed from) another moment: its
    /// message must then not depend on state read now beyond what the command names.
    pub fn signs_for_later(&self) -> bool {
        self.sign_only || self.blockhash.is_some()
    }

    /// Who pays the fees: `--fee-payer`, else the signer.
    pub fn payer(&self) -> Pubkey {
        self.fee_payer.as_ref().unwrap_or(&self.signer).pubkey()
    }
}
