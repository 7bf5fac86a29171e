//! The attack matrix: every instruction of both programs against every class of
//! coral-xyz/sealevel-attacks that applies to its accounts, table-driven. Each attack is sent
//! for real and must fail with its exact error code and change none of the accounts it names;
//! each unmodified instruction is simulated first to prove it would succeed. The table in
//! tests/README.md is rendered from the same code (`the_readme_table_is_current`).
use std::collections::BTreeSet;

use anchor_lang::error::{ErrorCode as Anchor, ERROR_CODE_OFFSET};
use anchor_lang::prelude::Pubkey;
use anchor_lang::Discriminator;
use mock_lending::errors::LendingError;
use solana_account::Account;
use solana_instruction::error::InstructionError;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;
use stakepool_client::instructions as ix;
use stakepool_client::lending_instructions as lx;
use stakepool_client::{MarketKeys, PoolKeys};
use stakepool_tests::*;
use staking_pool::errors::StakingError;
use staking_pool::state::{Change, ChangeKind, PoolLimits};

struct Arena {
    bank: Bank,
    pool: TestPool,
    market: TestMarket,
    other_pool: TestPool,
    other_market: TestMarket,
    idle_pool: TestPool,
    /// Has a notice period, and an APR cut announced and executable.
    noticed: TestPool,
    alice: User,
    bob: User,
    carol: User,
    dave: Keypair,
    outsider: User,
    successor: Keypair,
    creator: Keypair,
}

async fn arena() -> Arena {
    let mut bank = Bank::start().await;
    let limits = PoolLimits {
        reserve_bps: 2_000,
        unbonding_period: DAY,
        ..PoolLimits::default()
    };
    let mut pool = bank
        .create_pool(PoolSetup {
            limits,
            ..PoolSetup::default()
        })
        .await;
    let market = bank.attach_market(&mut pool, 800).await;
    let mut other_pool = bank
        .create_pool_for_mint(
            pool.mint,
            PoolSetup {
                pool_id: 9,
                ..PoolSetup::default()
            },
        )
        .await;
    let other_admin = other_pool.admin.insecure_clone();
    bank.set_lending_market(&mut other_pool, &other_admin, &market.keys.market)
        .await
        .unwrap();
    let other_market = bank.create_market(&pool.mint.clone(), 1, 800).await;
    let idle_pool = bank
        .create_pool_for_mint(
            pool.mint,
            PoolSetup {
                pool_id: 5,
                ..PoolSetup::default()
            },
        )
        .await;
    bank.fund_rewards(&pool, 1_000_000).await.unwrap();
    bank.market_fund_interest(&market, 1_000_000).await.unwrap();
    let alice = bank.new_user(&pool.mint, 1_000_000).await;
    let bob = bank.new_user(&pool.mint, 1_000_000).await;
    bank.stake(&pool, &alice, 1_000).await.unwrap();
    bank.stake(&pool, &bob, 1_000).await.unwrap();
    bank.request_unbond(&pool, &alice, 500).await.unwrap();
    // A pool with a notice period of a day and a half and an APR cut announced: after the two
    // days below it is executable (its window runs to three days).
    let noticed = bank
        .create_pool(PoolSetup {
            pool_id: 6,
            limits: PoolLimits {
                notice_period: DAY + DAY / 2,
                ..PoolLimits::default()
            },
            ..PoolSetup::default()
        })
        .await;
    let noticed_admin = noticed.admin.insecure_clone();
    bank.propose_change(&noticed, &noticed_admin, Change::Apr(500))
        .await
        .unwrap();
    bank.advance(2 * DAY).await;
    bank.rebalance(&pool).await.unwrap();
    let carol = bank.new_user(&pool.mint, 1_000).await;
    bank.open_position(&pool, &carol).await.unwrap();
    let dave = bank.fresh_wallet().await;
    let outsider = bank.new_market_user(&market, &pool.mint, 1_000).await;
    let deposit = lx::deposit(&market.keys, &outsider.key(), &outsider.token, 500);
    bank.send(&[deposit], &[&outsider.wallet]).await.unwrap();
    bank.market_borrow(&market, 100).await.unwrap();
    // Alice holds shares of the market in a receipt of her own (taken in kind, moved on), and
    // a unit of the loans was written off (to recover).
    bank.open_receipt(&market, &alice).await.unwrap();
    bank.open_receipt(&market, &bob).await.unwrap();
    bank.market_deposit(&market, &alice, 500).await.unwrap();
    bank.market_default(&market, 1).await.unwrap();
    let successor = bank.fresh_wallet().await;
    let admin = pool.admin.insecure_clone();
    bank.transfer_admin(&pool, &admin, &successor.pubkey())
        .await
        .unwrap();
    let creator = bank.fresh_wallet().await;
    Arena {
        bank,
        pool,
        market,
        other_pool,
        other_market,
        idle_pool,
        noticed,
        alice,
        bob,
        carol,
        dave,
        outsider,
        successor,
        creator,
    }
}

/// One instruction as a valid call: its signers and the accounts it creates.
struct Call {
    instruction: Instruction,
    signers: Vec<Keypair>,
    creates: Vec<Pubkey>,
}

fn call(instruction: Instruction, signers: &[&Keypair], creates: Vec<Pubkey>) -> Call {
    Call {
        instruction,
        signers: signers.iter().map(|k| k.insecure_clone()).collect(),
        creates,
    }
}

const NEW_POOL_ID: u16 = 42;
const NEW_MARKET_ID: u16 = 7;

/// Every instruction of both programs, in order, as `program::instruction`.
const INSTRUCTIONS: [&str; 36] = [
    "staking_pool::initialize_pool",
    "staking_pool::fund_rewards",
    "staking_pool::open_position",
    "staking_pool::deposit",
    "staking_pool::withdraw",
    "staking_pool::withdraw_in_kind",
    "staking_pool::request_unbond",
    "staking_pool::claim",
    "staking_pool::compound",
    "staking_pool::close_position",
    "staking_pool::rebalance",
    "staking_pool::harvest",
    "staking_pool::recognise_loss",
    "staking_pool::set_lending_market",
    "staking_pool::recall_all",
    "staking_pool::set_apr",
    "staking_pool::set_params",
    "staking_pool::pause",
    "staking_pool::unpause",
    "staking_pool::transfer_admin",
    "staking_pool::accept_admin",
    "staking_pool::propose_change",
    "staking_pool::cancel_change",
    "staking_pool::execute_change",
    "mock_lending::init_market",
    "mock_lending::open_receipt",
    "mock_lending::deposit",
    "mock_lending::withdraw",
    "mock_lending::fund_interest",
    "mock_lending::simulate_borrow",
    "mock_lending::simulate_repay",
    "mock_lending::simulate_unbacked_index",
    "mock_lending::simulate_default",
    "mock_lending::simulate_recovery",
    "mock_lending::transfer_shares",
    "mock_lending::transfer_authority",
];

fn build(a: &Arena, name: &str) -> Call {
    let keys = &a.pool.keys;
    let admin = &a.pool.admin;
    let alice = &a.alice;
    let authority = &a.market.authority;
    match name {
        "staking_pool::initialize_pool" => {
            let new = PoolKeys::derive(
                &a.creator.pubkey(),
                &a.pool.mint.address,
                NEW_POOL_ID,
                &a.pool.mint.token_program,
            );
            call(
                ix::initialize_pool(
                    &a.creator.pubkey(),
                    &new,
                    NEW_POOL_ID,
                    1_000,
                    PoolLimits::default(),
                ),
                &[&a.creator],
                vec![new.pool, new.vault, new.reward_vault],
            )
        }
        "staking_pool::fund_rewards" => call(
            ix::fund_rewards(keys, &a.pool.funder.key(), &a.pool.funder.token, 10),
            &[&a.pool.funder.wallet],
            vec![],
        ),
        "staking_pool::open_position" => call(
            ix::open_position(keys, &a.dave.pubkey()),
            &[&a.dave],
            vec![keys.position(&a.dave.pubkey())],
        ),
        "staking_pool::deposit" => call(
            ix::deposit(keys, &alice.key(), &alice.token, 10),
            &[&alice.wallet],
            vec![],
        ),
        "staking_pool::withdraw" => call(
            ix::withdraw(keys, &alice.key(), &alice.token, 10),
            &[&alice.wallet],
            vec![],
        ),
        "staking_pool::withdraw_in_kind" => call(
            ix::withdraw_in_kind(
                keys,
                &alice.key(),
                &alice.token,
                &a.market.keys.receipt(&alice.key()),
                10,
            ),
            &[&alice.wallet],
            vec![],
        ),
        "staking_pool::request_unbond" => call(
            ix::request_unbond(keys, &alice.key(), 10),
            &[&alice.wallet],
            vec![],
        ),
        "staking_pool::claim" => call(
            ix::claim(keys, &alice.key(), &alice.token),
            &[&alice.wallet],
            vec![],
        ),
        "staking_pool::compound" => {
            call(ix::compound(keys, &alice.key()), &[&alice.wallet], vec![])
        }
        "staking_pool::close_position" => call(
            ix::close_position(keys, &a.carol.key()),
            &[&a.carol.wallet],
            vec![],
        ),
        "staking_pool::rebalance" => call(ix::rebalance(keys), &[], vec![]),
        "staking_pool::harvest" => call(ix::harvest(keys), &[], vec![]),
        "staking_pool::recognise_loss" => call(ix::recognise_loss(keys), &[], vec![]),
        "staking_pool::set_lending_market" => {
            let receipt = a.market.keys.receipt(&a.idle_pool.keys.pool);
            call(
                ix::set_lending_market(
                    &a.idle_pool.keys,
                    &a.idle_pool.admin.pubkey(),
                    &a.market.keys.market,
                ),
                &[&a.idle_pool.admin],
                vec![receipt],
            )
        }
        "staking_pool::recall_all" => call(ix::recall_all(keys, &admin.pubkey()), &[admin], vec![]),
        "staking_pool::set_apr" => {
            call(ix::set_apr(keys, &admin.pubkey(), 1_500), &[admin], vec![])
        }
        "staking_pool::set_params" => call(
            ix::set_params(
                keys,
                &admin.pubkey(),
                PoolLimits {
                    unbonding_period: DAY,
                    ..PoolLimits::default()
                },
            ),
            &[admin],
            vec![],
        ),
        "staking_pool::pause" => call(ix::pause(keys, &admin.pubkey()), &[admin], vec![]),
        "staking_pool::unpause" => call(ix::unpause(keys, &admin.pubkey()), &[admin], vec![]),
        "staking_pool::transfer_admin" => call(
            ix::transfer_admin(keys, &admin.pubkey(), &a.bob.key()),
            &[admin],
            vec![],
        ),
        "staking_pool::accept_admin" => call(
            ix::accept_admin(keys, &a.successor.pubkey()),
            &[&a.successor],
            vec![],
        ),
        // On the pool with a notice period and an executable APR cut announced.
        "staking_pool::propose_change" => call(
            ix::propose_change(
                &a.noticed.keys,
                &a.noticed.admin.pubkey(),
                Change::Reserve(1_000),
            ),
            &[&a.noticed.admin],
            vec![],
        ),
        "staking_pool::cancel_change" => call(
            ix::cancel_change(&a.noticed.keys, &a.noticed.admin.pubkey(), ChangeKind::Apr),
            &[&a.noticed.admin],
            vec![],
        ),
        "staking_pool::execute_change" => call(
            ix::execute_change(
                &a.noticed.keys,
                &alice.wallet.pubkey(),
                ChangeKind::Apr,
                None,
            ),
            &[&alice.wallet],
            vec![],
        ),
        "mock_lending::init_market" => {
            let new = MarketKeys::derive(
                &a.pool.mint.address,
                NEW_MARKET_ID,
                &a.pool.mint.token_program,
            );
            call(
                lx::init_market(&new, &a.creator.pubkey(), NEW_MARKET_ID, 500),
                &[&a.creator],
                vec![new.market, new.liquidity_vault],
            )
        }
        "mock_lending::open_receipt" => {
            let receipt = a.market.keys.receipt(&a.dave.pubkey());
            call(
                lx::open_receipt(&a.market.keys, &a.dave.pubkey(), &a.dave.pubkey()),
                &[&a.dave],
                vec![receipt],
            )
        }
        "mock_lending::deposit" => call(
            lx::deposit(&a.market.keys, &a.outsider.key(), &a.outsider.token, 10),
            &[&a.outsider.wallet],
            vec![],
        ),
        "mock_lending::withdraw" => call(
            lx::withdraw(&a.market.keys, &a.outsider.key(), &a.outsider.token, 10),
            &[&a.outsider.wallet],
            vec![],
        ),
        "mock_lending::fund_interest" => call(
            lx::fund_interest(&a.market.keys, &authority.key(), &authority.token, 10),
            &[&authority.wallet],
            vec![],
        ),
        "mock_lending::simulate_borrow" => call(
            lx::simulate_borrow(&a.market.keys, &authority.key(), &authority.token, 10),
            &[&authority.wallet],
            vec![],
        ),
        "mock_lending::simulate_repay" => call(
            lx::simulate_repay(&a.market.keys, &authority.key(), &authority.token, 10),
            &[&authority.wallet],
            vec![],
        ),
        "mock_lending::simulate_unbacked_index" => call(
            lx::simulate_unbacked_index(&a.market.keys, &authority.key(), false),
            &[&authority.wallet],
            vec![],
        ),
        "mock_lending::simulate_default" => call(
            lx::simulate_default(&a.market.keys, &authority.key(), 10),
            &[&authority.wallet],
            vec![],
        ),
        "mock_lending::simulate_recovery" => call(
            lx::simulate_recovery(&a.market.keys, &authority.key(), &authority.token, 1),
            &[&authority.wallet],
            vec![],
        ),
        "mock_lending::transfer_shares" => call(
            lx::transfer_shares(
                &a.market.keys,
                &alice.key(),
                &a.market.keys.receipt(&a.bob.key()),
                10,
            ),
            &[&alice.wallet],
            vec![],
        ),
        "mock_lending::transfer_authority" => call(
            lx::transfer_authority(&a.market.keys, &authority.key(), a.dave.pubkey()),
            &[&authority.wallet],
            vec![],
        ),
        other => panic!("no such instruction {other}"),
    }
}

/// What an account in an instruction is, read from the bank.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Created,
    Program,
    Pool,
    Position,
    Market,
    Receipt,
    TokenAccount,
    Mint,
    Other,
}

async fn kind(bank: &mut Bank, key: &Pubkey, created: &[Pubkey]) -> Kind {
    if created.contains(key) {
        return Kind::Created;
    }
    let Some(account) = bank.account(*key).await else {
        return Kind::Other;
    };
    if account.executable {
        return Kind::Program;
    }
    let discriminated = |d: &[u8]| account.data.starts_with(d);
    if account.owner == staking_pool::ID {
        return if discriminated(staking_pool::state::Pool::DISCRIMINATOR) {
            Kind::Pool
        } else {
            Kind::Position
        };
    }
    if account.owner == mock_lending::ID {
        return if discriminated(mock_lending::state::Market::DISCRIMINATOR) {
            Kind::Market
        } else {
            Kind::Receipt
        };
    }
    if account.owner == anchor_spl::token::ID || account.owner == anchor_spl::token_2022::ID {
        return if account.data.len() == 82 {
            Kind::Mint
        } else {
            Kind::TokenAccount
        };
    }
    Kind::Other
}

/// The attack classes, as columns of the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    MissingSigner,
    WrongOwner,
    TypeCosplay,
    Reinitialisation,
    ArbitraryCpi,
    DuplicateMutable,
    NonCanonicalBump,
    PdaSharing,
    ClosedAccountRevival,
    SysvarSpoofing,
}

const CLASSES: [Class; 10] = [
    Class::MissingSigner,
    Class::WrongOwner,
    Class::TypeCosplay,
    Class::Reinitialisation,
    Class::ArbitraryCpi,
    Class::DuplicateMutable,
    Class::NonCanonicalBump,
    Class::PdaSharing,
    Class::ClosedAccountRevival,
    Class::SysvarSpoofing,
];

impl Class {
    fn title(self) -> &'static str {
        match self {
            Class::MissingSigner => "missing signer",
            Class::WrongOwner => "wrong owner",
            Class::TypeCosplay => "type cosplay",
            Class::Reinitialisation => "re-init",
            Class::ArbitraryCpi => "arbitrary CPI",
            Class::DuplicateMutable => "duplicate mutable",
            Class::NonCanonicalBump => "non-canonical bump",
            Class::PdaSharing => "PDA sharing",
            Class::ClosedAccountRevival => "closed-account revival",
            Class::SysvarSpoofing => "sysvar spoofing",
        }
    }

    fn test(self) -> &'static str {
        match self {
            Class::MissingSigner => "missing_signer",
            Class::WrongOwner => "wrong_owner",
            Class::TypeCosplay => "type_cosplay",
            Class::Reinitialisation => "reinitialisation",
            Class::ArbitraryCpi => "arbitrary_cpi",
            Class::DuplicateMutable => "duplicate_mutable",
            Class::NonCanonicalBump => "non_canonical_bump",
            Class::PdaSharing => "pda_sharing",
            Class::ClosedAccountRevival => "closed_account_revival",
            Class::SysvarSpoofing => "sysvar_spoofing",
        }
    }
}

/// The exact refusal an attack must meet.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Expected {
    /// A program's (or Anchor's) custom error code.
    Code(u32),
    /// A runtime error: what Anchor returns when token account data does not unpack, and what
    /// Agave 3.1's system program says to Anchor's `init` on an existing account.
    Runtime(InstructionError),
}

/// One attack: the modified instruction list, the instruction whose error counts, and the
/// exact refusal expected.
struct Attack {
    label: String,
    instructions: Vec<Instruction>,
    signers: Vec<Keypair>,
    index: u8,
    expected: Expected,
}

fn staking(e: StakingError) -> u32 {
    ERROR_CODE_OFFSET + e as u32
}

fn lending(e: LendingError) -> u32 {
    ERROR_CODE_OFFSET + e as u32
}

/// Any executable that is not the program a slot expects.
const FAKE_PROGRAM: Pubkey = anchor_spl::associated_token::ID;

/// The seeds of every PDA in the arena, to derive the same address with another bump.
fn seeds_of(a: &Arena, key: &Pubkey) -> Option<(Vec<Vec<u8>>, Pubkey)> {
    let mint = a.pool.mint.address;
    let pools = [&a.pool, &a.other_pool, &a.idle_pool];
    for pool in pools {
        let p = pool.keys.pool;
        if *key == pool.keys.vault {
            return Some((
                vec![b"vault".to_vec(), p.to_bytes().to_vec()],
                staking_pool::ID,
            ));
        }
        if *key == pool.keys.reward_vault {
            return Some((
                vec![b"reward_vault".to_vec(), p.to_bytes().to_vec()],
                staking_pool::ID,
            ));
        }
    }
    if *key == a.pool.keys.pool {
        let creator = a.pool.admin.pubkey();
        return Some((
            vec![
                b"pool".to_vec(),
                creator.to_bytes().to_vec(),
                mint.to_bytes().to_vec(),
                0u16.to_le_bytes().to_vec(),
            ],
            staking_pool::ID,
        ));
    }
    let new_pool = PoolKeys::derive(
        &a.creator.pubkey(),
        &mint,
        NEW_POOL_ID,
        &a.pool.mint.token_program,
    );
    if *key == new_pool.pool {
        return Some((
            vec![
                b"pool".to_vec(),
                a.creator.pubkey().to_bytes().to_vec(),
                mint.to_bytes().to_vec(),
                NEW_POOL_ID.to_le_bytes().to_vec(),
            ],
            staking_pool::ID,
        ));
    }
    if *key == new_pool.vault {
        return Some((
            vec![b"vault".to_vec(), new_pool.pool.to_bytes().to_vec()],
            staking_pool::ID,
        ));
    }
    if *key == new_pool.reward_vault {
        return Some((
            vec![b"reward_vault".to_vec(), new_pool.pool.to_bytes().to_vec()],
            staking_pool::ID,
        ));
    }
    for owner in [a.alice.key(), a.bob.key(), a.carol.key(), a.dave.pubkey()] {
        if *key == a.pool.keys.position(&owner) {
            return Some((
                vec![
                    b"position".to_vec(),
                    a.pool.keys.pool.to_bytes().to_vec(),
                    owner.to_bytes().to_vec(),
                ],
                staking_pool::ID,
            ));
        }
    }
    for (market, id) in [
        (&a.market.keys, 0u16),
        (
            &MarketKeys::derive(&mint, NEW_MARKET_ID, &a.pool.mint.token_program),
            NEW_MARKET_ID,
        ),
    ] {
        if *key == market.market {
            return Some((
                vec![
                    b"market".to_vec(),
                    mint.to_bytes().to_vec(),
                    id.to_le_bytes().to_vec(),
                ],
                mock_lending::ID,
            ));
        }
        if *key == market.liquidity_vault {
            return Some((
                vec![b"liquidity".to_vec(), market.market.to_bytes().to_vec()],
                mock_lending::ID,
            ));
        }
    }
    for owner in [
        a.pool.keys.pool,
        a.idle_pool.keys.pool,
        a.outsider.key(),
        a.dave.pubkey(),
    ] {
        if *key == a.market.keys.receipt(&owner) {
            return Some((
                vec![
                    b"receipt".to_vec(),
                    a.market.keys.market.to_bytes().to_vec(),
                    owner.to_bytes().to_vec(),
                ],
                mock_lending::ID,
            ));
        }
    }
    None
}

const ADMIN_ONLY: [&str; 5] = [
    "staking_pool::set_apr",
    "staking_pool::set_params",
    "staking_pool::pause",
    "staking_pool::unpause",
    "staking_pool::transfer_admin",
];

/// The address the same creation would have for another creator, owner or id.
fn someone_elses(a: &Arena, name: &str, key: &Pubkey) -> Pubkey {
    let mint = a.pool.mint.address;
    let token = a.pool.mint.token_program;
    match name {
        "staking_pool::initialize_pool" => {
            let mine = PoolKeys::derive(&a.creator.pubkey(), &mint, NEW_POOL_ID, &token);
            let theirs = PoolKeys::derive(&a.bob.key(), &mint, NEW_POOL_ID, &token);
            if *key == mine.pool {
                theirs.pool
            } else if *key == mine.vault {
                theirs.vault
            } else {
                theirs.reward_vault
            }
        }
        "staking_pool::open_position" => a.pool.keys.position(&a.bob.key()),
        "staking_pool::set_lending_market" => a.market.keys.receipt(&a.other_pool.keys.pool),
        "mock_lending::init_market" => {
            let mine = MarketKeys::derive(&mint, NEW_MARKET_ID, &token);
            let theirs = MarketKeys::derive(&mint, NEW_MARKET_ID + 1, &token);
            if *key == mine.market {
                theirs.market
            } else {
                theirs.liquidity_vault
            }
        }
        _ => a.market.keys.receipt(&a.outsider.key()),
    }
}

/// The same seeds with the highest bump below the canonical one that gives a valid address.
fn non_canonical(seeds: &[Vec<u8>], program: &Pubkey) -> Pubkey {
    let refs: Vec<&[u8]> = seeds.iter().map(|s| s.as_slice()).collect();
    let (_, canonical) = Pubkey::find_program_address(&refs, program);
    (0..canonical)
        .rev()
        .find_map(|bump| {
            let mut with_bump = refs.clone();
            let b = [bump];
            with_bump.push(&b);
            Pubkey::create_program_address(&with_bump, program).ok()
        })
        .expect("a non-canonical bump exists")
}

fn swapped(c: &Call, index: usize, to: Pubkey) -> Vec<Instruction> {
    let mut instruction = c.instruction.clone();
    instruction.accounts[index].pubkey = to;
    vec![instruction]
}

/// Every attack of `class` that applies to `name`, with its expected code. Empty when the
/// class does not apply.
async fn attacks(a: &mut Arena, name: &str, class: Class) -> Vec<Attack> {
    let c = build(a, name);
    let program = c.instruction.program_id;
    let mut kinds = Vec::new();
    for meta in &c.instruction.accounts {
        kinds.push(kind(&mut a.bank, &meta.pubkey, &c.creates).await);
    }
    let metas = c.instruction.accounts.clone();
    let mut out = Vec::new();
    let mut extra = Vec::new();
    let mut push = |label: String,
                    instructions: Vec<Instruction>,
                    index: u8,
                    code: u32,
                    signers: Vec<Keypair>| {
        out.push(Attack {
            label,
            instructions,
            signers,
            index,
            expected: Expected::Code(code),
        });
    };
    let mut push_runtime = |label: String,
                            instructions: Vec<Instruction>,
                            index: u8,
                            error: InstructionError,
                            signers: Vec<Keypair>| {
        extra.push(Attack {
            label,
            instructions,
            signers,
            index,
            expected: Expected::Runtime(error),
        });
    };
    let signers = || {
        c.signers
            .iter()
            .map(|k| k.insecure_clone())
            .collect::<Vec<_>>()
    };
    match class {
        Class::MissingSigner => {
            for (i, meta) in metas.iter().enumerate().filter(|(_, m)| m.is_signer) {
                let mut instruction = c.instruction.clone();
                instruction.accounts[i].is_signer = false;
                let rest = c
                    .signers
                    .iter()
                    .filter(|k| k.pubkey() != meta.pubkey)
                    .map(|k| k.insecure_clone())
                    .collect();
                push(
                    format!("{} does not sign", meta.pubkey),
                    vec![instruction],
                    0,
                    Anchor::AccountNotSigner as u32,
                    rest,
                );
            }
        }
        Class::WrongOwner => {
            for (i, k) in kinds.iter().enumerate() {
                if !matches!(
                    k,
                    Kind::Pool
                        | Kind::Position
                        | Kind::Market
                        | Kind::Receipt
                        | Kind::TokenAccount
                        | Kind::Mint
                ) {
                    continue;
                }
                let real = a.bank.account(metas[i].pubkey).await.unwrap();
                let fake = Pubkey::new_unique();
                let forged = Account {
                    lamports: real.lamports,
                    data: real.data.clone(),
                    owner: Pubkey::new_unique(),
                    executable: false,
                    rent_epoch: 0,
                };
                a.bank.set_account(fake, forged).await;
                push(
                    format!("{:?} owned by another program", k),
                    swapped(&c, i, fake),
                    0,
                    Anchor::AccountOwnedByWrongProgram as u32,
                    signers(),
                );
            }
        }
        Class::TypeCosplay => {
            let position = a.pool.keys.position(&a.bob.key());
            let receipt = a.market.keys.receipt(&a.outsider.key());
            for (i, k) in kinds.iter().enumerate() {
                let (stand_in, code) = match k {
                    Kind::Pool => (position, Anchor::AccountDiscriminatorMismatch as u32),
                    Kind::Position => (
                        a.pool.keys.pool,
                        Anchor::AccountDiscriminatorMismatch as u32,
                    ),
                    Kind::Market => (receipt, Anchor::AccountDiscriminatorMismatch as u32),
                    Kind::Receipt => (
                        a.market.keys.market,
                        Anchor::AccountDiscriminatorMismatch as u32,
                    ),
                    Kind::TokenAccount | Kind::Mint => {
                        let stand_in = if *k == Kind::Mint {
                            a.bob.token
                        } else {
                            a.pool.mint.address
                        };
                        let label = format!("{:?} replaced by an account of another type", k);
                        push_runtime(
                            label,
                            swapped(&c, i, stand_in),
                            0,
                            InstructionError::InvalidAccountData,
                            signers(),
                        );
                        continue;
                    }
                    _ => continue,
                };
                if metas.iter().any(|m| m.pubkey == stand_in) {
                    continue;
                }
                push(
                    format!("{:?} replaced by an account of another type", k),
                    swapped(&c, i, stand_in),
                    0,
                    code,
                    signers(),
                );
            }
        }
        Class::Reinitialisation => {
            if c.creates.is_empty() || name == "staking_pool::set_lending_market" {
                return out;
            }
            // The same creation twice in one transaction: the second must be refused (and the
            // whole transaction with it, so nothing changes).
            let twice = vec![c.instruction.clone(), c.instruction.clone()];
            // Both programs create accounts through `program_accounts::pda_account`, which
            // finds the account in use: the system program's AccountAlreadyInUse (custom 0).
            push("created twice".into(), twice, 1, 0, signers());
        }
        Class::ArbitraryCpi => {
            for (i, k) in kinds.iter().enumerate() {
                if *k == Kind::Program && metas[i].pubkey != program {
                    push(
                        format!("{} replaced by another program", metas[i].pubkey),
                        swapped(&c, i, FAKE_PROGRAM),
                        0,
                        Anchor::InvalidProgramId as u32,
                        signers(),
                    );
                }
            }
        }
        Class::DuplicateMutable => {
            for i in 0..metas.len() {
                for j in i + 1..metas.len() {
                    let same = kinds[i] == kinds[j]
                        && matches!(
                            kinds[i],
                            Kind::Pool
                                | Kind::Position
                                | Kind::Market
                                | Kind::Receipt
                                | Kind::TokenAccount
                        );
                    if same
                        && metas[i].is_writable
                        && metas[j].is_writable
                        && metas[i].pubkey != metas[j].pubkey
                    {
                        push(
                            format!("{:?} passed twice", kinds[i]),
                            swapped(&c, j, metas[i].pubkey),
                            0,
                            Anchor::ConstraintDuplicateMutableAccount as u32,
                            signers(),
                        );
                    }
                }
            }
        }
        Class::NonCanonicalBump => {
            for (i, meta) in metas.iter().enumerate() {
                let Some((seeds, owner)) = seeds_of(a, &meta.pubkey) else {
                    continue;
                };
                let address = non_canonical(&seeds, &owner);
                // Nothing lives there: a zero-copy account (`AccountLoader`) is refused by its
                // owner, the system program; a Borsh one as not initialised.
                let code = match kinds[i] {
                    Kind::Created => Anchor::ConstraintSeeds as u32,
                    Kind::Pool | Kind::Position => Anchor::AccountOwnedByWrongProgram as u32,
                    _ => Anchor::AccountNotInitialized as u32,
                };
                push(
                    format!("{:?} at a non-canonical address", kinds[i]),
                    swapped(&c, i, address),
                    0,
                    code,
                    signers(),
                );
            }
        }
        Class::PdaSharing => {
            for (i, meta) in metas.iter().enumerate() {
                let key = meta.pubkey;
                let (other, code) = if key == a.pool.keys.vault {
                    (a.other_pool.keys.vault, staking(StakingError::InvalidVault))
                } else if key == a.pool.keys.reward_vault {
                    (
                        a.other_pool.keys.reward_vault,
                        staking(StakingError::InvalidRewardVault),
                    )
                } else if kinds[i] == Kind::Position {
                    (
                        a.pool.keys.position(&a.bob.key()),
                        staking(StakingError::InvalidPositionAddress),
                    )
                } else if key == a.market.keys.receipt(&a.pool.keys.pool) {
                    let code = if program == staking_pool::ID {
                        staking(StakingError::InvalidLendingReceipt)
                    } else {
                        Anchor::ConstraintSeeds as u32
                    };
                    (a.market.keys.receipt(&a.other_pool.keys.pool), code)
                } else if key == a.market.keys.receipt(&a.outsider.key()) {
                    (
                        a.market.keys.receipt(&a.pool.keys.pool),
                        Anchor::ConstraintSeeds as u32,
                    )
                } else if key == a.market.keys.receipt(&a.alice.key())
                    && name == "mock_lending::transfer_shares"
                {
                    // The receipt shares leave: it must be the signer's. (Where they go, and
                    // where a withdrawal in kind sends them, may be any receipt.)
                    (
                        a.market.keys.receipt(&a.outsider.key()),
                        Anchor::ConstraintSeeds as u32,
                    )
                } else if key == a.market.keys.market
                    && program == staking_pool::ID
                    && kinds[i] == Kind::Market
                    && name != "staking_pool::set_lending_market"
                {
                    (
                        a.other_market.keys.market,
                        staking(StakingError::InvalidLendingMarket),
                    )
                } else if key == a.market.keys.liquidity_vault && program == staking_pool::ID {
                    (
                        a.other_market.keys.liquidity_vault,
                        staking(StakingError::InvalidLendingVault),
                    )
                } else if key == a.market.keys.liquidity_vault {
                    (
                        a.other_market.keys.liquidity_vault,
                        lending(LendingError::InvalidVault),
                    )
                } else if kinds[i] == Kind::Created {
                    // Creating at someone else's address (front-running another creator or
                    // owner): the seeds are the signer's own.
                    (someone_elses(a, name, &key), Anchor::ConstraintSeeds as u32)
                } else if key == a.pool.keys.pool && ADMIN_ONLY.contains(&name) {
                    (a.other_pool.keys.pool, staking(StakingError::Unauthorized))
                } else if key == a.pool.keys.pool && name == "staking_pool::accept_admin" {
                    (
                        a.other_pool.keys.pool,
                        staking(StakingError::NoPendingAdmin),
                    )
                } else {
                    continue;
                };
                push(
                    format!("{:?} of another pool or owner", kinds[i]),
                    swapped(&c, i, other),
                    0,
                    code,
                    signers(),
                );
            }
        }
        Class::ClosedAccountRevival => {
            let user_actions = [
                "staking_pool::deposit",
                "staking_pool::withdraw",
                "staking_pool::request_unbond",
                "staking_pool::claim",
                "staking_pool::compound",
                "staking_pool::close_position",
            ];
            if !user_actions.contains(&name) {
                return out;
            }
            // Carol closes her empty position, someone sends its rent back to the address in
            // the same transaction, and the instruction tries to use it as a live position.
            let carol = &a.carol;
            let position = a.pool.keys.position(&carol.key());
            let revive = solana_system_interface::instruction::transfer(
                &a.bank.payer(),
                &position,
                10_000_000,
            );
            let keys = &a.pool.keys;
            let then = match name {
                "staking_pool::deposit" => ix::deposit(keys, &carol.key(), &carol.token, 10),
                "staking_pool::withdraw" => ix::withdraw(keys, &carol.key(), &carol.token, 10),
                "staking_pool::request_unbond" => ix::request_unbond(keys, &carol.key(), 10),
                "staking_pool::claim" => ix::claim(keys, &carol.key(), &carol.token),
                "staking_pool::compound" => ix::compound(keys, &carol.key()),
                _ => ix::close_position(keys, &carol.key()),
            };
            push(
                "closed, refunded and reused in one transaction".into(),
                vec![ix::close_position(keys, &carol.key()), revive, then],
                2,
                Anchor::AccountOwnedByWrongProgram as u32,
                vec![carol.wallet.insecure_clone()],
            );
        }
        Class::SysvarSpoofing => {
            // No instruction takes a sysvar account: time and rent come from syscalls, so there
            // is nothing to spoof. Asserted in `sysvar_spoofing`.
        }
    }
    out.extend(extra);
    out
}

const SYSVARS: [Pubkey; 4] = [
    anchor_lang::prelude::pubkey!("SysvarC1ock11111111111111111111111111111111"),
    anchor_lang::prelude::pubkey!("SysvarRent111111111111111111111111111111111"),
    anchor_lang::prelude::pubkey!("Sysvar1nstructions1111111111111111111111111"),
    anchor_lang::prelude::pubkey!("SysvarS1otHashes111111111111111111111111111"),
];

/// Runs every attack of `class` on every instruction; returns the instructions it applied to.
/// Attacks fail and change nothing, so one arena serves the whole class.
async fn run_class(class: Class) -> BTreeSet<&'static str> {
    let mut applied = BTreeSet::new();
    let mut a = arena().await;
    for name in INSTRUCTIONS {
        let base = build(&a, name);
        let keys: Vec<&Keypair> = base.signers.iter().collect();
        a.bank
            .simulate(std::slice::from_ref(&base.instruction), &keys)
            .await
            .unwrap_or_else(|e| panic!("{name} as built must succeed: {e}"));
        for attack in attacks(&mut a, name, class).await {
            applied.insert(name);
            let mut watched: Vec<Pubkey> = attack
                .instructions
                .iter()
                .flat_map(|i| i.accounts.iter().map(|m| m.pubkey))
                .collect();
            watched
                .retain(|k| !base.signers.iter().any(|s| s.pubkey() == *k) && *k != a.bank.payer());
            let before = a.bank.snapshot(&watched).await;
            let keys: Vec<&Keypair> = attack.signers.iter().collect();
            let result = a.bank.send(&attack.instructions, &keys).await;
            match &attack.expected {
                Expected::Code(code) => {
                    assert_eq!(
                        custom_code(&result, attack.index),
                        Some(*code),
                        "{name}: {}: {result:?}",
                        attack.label
                    )
                }
                Expected::Runtime(error) => {
                    let at = attack.index + Bank::FIRST_IX;
                    let matched =
                        matches!(instruction_error(&result), Some((i, e)) if i == at && e == error);
                    assert!(
                        matched,
                        "{name}: {}: expected {error:?}, got {result:?}",
                        attack.label
                    );
                }
            }
            a.bank.assert_unchanged(&watched, before).await;
        }
    }
    applied
}

macro_rules! class_test {
    ($test:ident, $class:expr) => {
        #[tokio::test]
        async fn $test() {
            let applied = run_class($class).await;
            assert!(!applied.is_empty() || $class == Class::SysvarSpoofing);
        }
    };
}

class_test!(missing_signer, Class::MissingSigner);
class_test!(wrong_owner, Class::WrongOwner);
class_test!(type_cosplay, Class::TypeCosplay);
class_test!(reinitialisation, Class::Reinitialisation);
class_test!(arbitrary_cpi, Class::ArbitraryCpi);
class_test!(duplicate_mutable, Class::DuplicateMutable);
class_test!(non_canonical_bump, Class::NonCanonicalBump);
class_test!(pda_sharing, Class::PdaSharing);
class_test!(closed_account_revival, Class::ClosedAccountRevival);

#[tokio::test]
async fn sysvar_spoofing() {
    let a = arena().await;
    for name in INSTRUCTIONS {
        let c = build(&a, name);
        assert!(
            c.instruction
                .accounts
                .iter()
                .all(|m| !SYSVARS.contains(&m.pubkey)),
            "{name} takes a sysvar account"
        );
    }
}

/// Why a class does not apply to an instruction.
fn not_applicable(class: Class) -> &'static str {
    match class {
        Class::MissingSigner => "n/a: no signer",
        Class::WrongOwner => "n/a: no program-owned account",
        Class::TypeCosplay => "n/a: no typed account",
        Class::Reinitialisation => "n/a: creates nothing",
        Class::ArbitraryCpi => "n/a: no CPI",
        Class::DuplicateMutable => "n/a: no two writable accounts of one type",
        Class::NonCanonicalBump => "n/a: no PDA",
        Class::PdaSharing => "n/a: no per-user or per-pool PDA",
        Class::ClosedAccountRevival => "n/a: takes no closable account",
        Class::SysvarSpoofing => "n/a: no sysvar account (syscalls)",
    }
}

/// The matrix as Markdown: rows are instructions, columns classes, each cell the test that
/// covers it or why the class does not apply.
async fn render() -> String {
    let mut table = String::from("| instruction |");
    for class in CLASSES {
        table += &format!(" {} |", class.title());
    }
    table += "\n|---|";
    table += &"---|".repeat(CLASSES.len());
    table += "\n";
    let mut a = arena().await;
    for name in INSTRUCTIONS {
        table += &format!("| `{name}` |");
        for class in CLASSES {
            let applies =
                class == Class::SysvarSpoofing || !attacks(&mut a, name, class).await.is_empty();
            let cell = if class == Class::SysvarSpoofing {
                format!("{} (`{}`)", not_applicable(class), class.test())
            } else if applies {
                format!("✓ `{}`", class.test())
            } else {
                not_applicable(class).to_string()
            };
            table += &format!(" {cell} |");
        }
        table += "\n";
    }
    table
}

#[tokio::test]
async fn the_readme_table_is_current() {
    let table = render().await;
    let readme_path = format!("{SUITE_DIR}/README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let start = "<!-- attack-matrix:start -->\n";
    let end = "<!-- attack-matrix:end -->";
    if std::env::var("STAKEPOOL_WRITE_MATRIX").is_ok() {
        let a = readme.find(start).unwrap() + start.len();
        let b = readme.find(end).unwrap();
        std::fs::write(
            &readme_path,
            format!("{}{table}{}", &readme[..a], &readme[b..]),
        )
        .unwrap();
        return;
    }
    assert!(readme.contains(&format!("{start}{table}{end}")), "tests/README.md's attack matrix is out of date; run with STAKEPOOL_WRITE_MATRIX=1 to rewrite it:\n{table}");
}
