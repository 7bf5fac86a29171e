//! Mints and token accounts for SPL Token and Token-2022, built with the interfaces anchor-spl
//! re-exports.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_spl::token_2022::spl_token_2022::{
    self,
    extension::{
        cpi_guard, memo_transfer, transfer_fee, BaseStateWithExtensions, ExtensionType,
        StateWithExtensions,
    },
    state::{Account as TokenAccountState, Mint as MintState},
};
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_system_interface::instruction as system_instruction;

use crate::fixture::{User, USER_SOL};
use crate::Bank;

pub const SPL_TOKEN: Pubkey = anchor_spl::token::ID;
pub const TOKEN_2022: Pubkey = anchor_spl::token_2022::ID;

/// A mint whose authority is the bank's payer.
#[derive(Clone, Copy, Debug)]
pub struct TestMint {
    pub address: Pubkey,
    pub token_program: Pubkey,
    pub decimals: u8,
}

/// Extensions a test mint can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MintExtension {
    None,
    /// 1 % transfer fee: the kind of mint the pool must refuse.
    TransferFee,
    /// A close authority: the mint could be recreated with other extensions later.
    CloseAuthority,
}

/// Extensions a user can turn on in their own Token-2022 token account, each refusing what the
/// pool does to user accounts: it moves tokens out by CPI with the owner as authority, and pays
/// in by CPI without a memo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountExtension {
    /// CPI Guard on: a transfer out by CPI under the owner's authority is refused.
    CpiGuard,
    /// Required transfer memos: a transfer in without a memo just before it is refused.
    MemoTransfer,
}

impl AccountExtension {
    fn extension_type(self) -> ExtensionType {
        match self {
            AccountExtension::CpiGuard => ExtensionType::CpiGuard,
            AccountExtension::MemoTransfer => ExtensionType::MemoTransfer,
        }
    }

    /// Space of a token account with this extension.
    pub fn account_space(self) -> usize {
        ExtensionType::try_calculate_account_len::<TokenAccountState>(&[self.extension_type()])
            .unwrap()
    }

    /// Turns the extension on, signed by `owner`.
    pub fn enable(self, account: &Pubkey, owner: &Pubkey) -> Instruction {
        match self {
            AccountExtension::CpiGuard => {
                cpi_guard::instruction::enable_cpi_guard(&TOKEN_2022, account, owner, &[])
            }
            AccountExtension::MemoTransfer => {
                memo_transfer::instruction::enable_required_transfer_memos(
                    &TOKEN_2022,
                    account,
                    owner,
                    &[],
                )
            }
        }
        .unwrap()
    }

    /// Turns the extension off, signed by `owner`: what the client's error tells the user to do.
    pub fn disable(self, account: &Pubkey, owner: &Pubkey) -> Instruction {
        match self {
            AccountExtension::CpiGuard => {
                cpi_guard::instruction::disable_cpi_guard(&TOKEN_2022, account, owner, &[])
            }
            AccountExtension::MemoTransfer => {
                memo_transfer::instruction::disable_required_transfer_memos(
                    &TOKEN_2022,
                    account,
                    owner,
                    &[],
                )
            }
        }
        .unwrap()
    }

    /// Creates `account` (a new keypair's address) as a Token-2022 token account of `mint` for
    /// `owner` with the extension on: `payer` and `account` sign the creation, `owner` the
    /// enabling. `lamports` must cover `account_space`'s rent.
    pub fn create_account(
        self,
        payer: &Pubkey,
        account: &Pubkey,
        mint: &Pubkey,
        owner: &Pubkey,
        lamports: u64,
    ) -> Vec<Instruction> {
        vec![
            system_instruction::create_account(
                payer,
                account,
                lamports,
                self.account_space() as u64,
                &TOKEN_2022,
            ),
            spl_token_2022::instruction::initialize_account3(&TOKEN_2022, account, mint, owner)
                .unwrap(),
            self.enable(account, owner),
        ]
    }
}

impl Bank {
    pub async fn create_mint(&mut self, token_program: Pubkey, decimals: u8) -> TestMint {
        self.create_mint_with(token_program, decimals, MintExtension::None)
            .await
    }

    pub async fn create_mint_with(
        &mut self,
        token_program: Pubkey,
        decimals: u8,
        extension: MintExtension,
    ) -> TestMint {
        let mint = self.new_keypair();
        let payer = self.payer();
        let extensions: Vec<ExtensionType> = match extension {
            MintExtension::None => vec![],
            MintExtension::TransferFee => vec![ExtensionType::TransferFeeConfig],
            MintExtension::CloseAuthority => vec![ExtensionType::MintCloseAuthority],
        };
        let space = if extensions.is_empty() {
            MintState::LEN
        } else {
            ExtensionType::try_calculate_account_len::<MintState>(&extensions).unwrap()
        };
        let lamports = self.rent_exempt(space).await;
        let mut instructions = vec![system_instruction::create_account(
            &payer,
            &mint.pubkey(),
            lamports,
            space as u64,
            &token_program,
        )];
        if extension == MintExtension::TransferFee {
            instructions.push(
                transfer_fee::instruction::initialize_transfer_fee_config(
                    &token_program,
                    &mint.pubkey(),
                    Some(&payer),
                    Some(&payer),
                    100,
                    u64::MAX,
                )
                .unwrap(),
            );
        }
        if extension == MintExtension::CloseAuthority {
            instructions.push(
                spl_token_2022::instruction::initialize_mint_close_authority(
                    &token_program,
                    &mint.pubkey(),
                    Some(&payer),
                )
                .unwrap(),
            );
        }
        instructions.push(stakepool_client::token_setup::initialize_mint(
            &token_program,
            &mint.pubkey(),
            &payer,
            decimals,
        ));
        self.send(&instructions, &[&mint])
            .await
            .expect("create mint");
        TestMint {
            address: mint.pubkey(),
            token_program,
            decimals,
        }
    }

    /// A fresh token account of `mint` owned by `owner`.
    pub async fn create_token_account(&mut self, mint: &TestMint, owner: &Pubkey) -> Pubkey {
        let account = self.new_keypair();
        let payer = self.payer();
        let space = TokenAccountState::LEN;
        let lamports = self.rent_exempt(space).await;
        let instructions = [
            system_instruction::create_account(
                &payer,
                &account.pubkey(),
                lamports,
                space as u64,
                &mint.token_program,
            ),
            spl_token_2022::instruction::initialize_account3(
                &mint.token_program,
                &account.pubkey(),
                &mint.address,
                owner,
            )
            .unwrap(),
        ];
        self.send(&instructions, &[&account])
            .await
            .expect("create token account");
        account.pubkey()
    }

    /// A fresh Token-2022 token account of `mint` owned by `owner`, with `extension` on.
    pub async fn create_token_account_with(
        &mut self,
        mint: &TestMint,
        owner: &Keypair,
        extension: AccountExtension,
    ) -> Pubkey {
        assert_eq!(
            mint.token_program, TOKEN_2022,
            "account extensions are Token-2022's"
        );
        let account = self.new_keypair();
        let payer = self.payer();
        let lamports = self.rent_exempt(extension.account_space()).await;
        let instructions = extension.create_account(
            &payer,
            &account.pubkey(),
            &mint.address,
            &owner.pubkey(),
            lamports,
        );
        self.send(&instructions, &[&account, owner])
            .await
            .expect("create token account with extension");
        account.pubkey()
    }

    /// A wallet with SOL and `tokens` of `mint` in a token account with `extension` on.
    pub async fn new_user_with(
        &mut self,
        mint: &TestMint,
        tokens: u64,
        extension: AccountExtension,
    ) -> User {
        let wallet = self.new_keypair();
        self.airdrop(&wallet.pubkey(), USER_SOL).await;
        let token = self
            .create_token_account_with(mint, &wallet, extension)
            .await;
        if tokens > 0 {
            self.mint_to(mint, &token, tokens).await;
        }
        User { wallet, token }
    }

    /// Whether `account` has `extension` on (false for one without it).
    pub async fn account_extension_enabled(
        &mut self,
        account: Pubkey,
        extension: AccountExtension,
    ) -> bool {
        let account = self.account(account).await.expect("token account exists");
        let state =
            StateWithExtensions::<TokenAccountState>::unpack(&account.data).expect("token account");
        match extension {
            AccountExtension::CpiGuard => state
                .get_extension::<cpi_guard::CpiGuard>()
                .is_ok_and(|guard| bool::from(guard.lock_cpi)),
            AccountExtension::MemoTransfer => state
                .get_extension::<memo_transfer::MemoTransfer>()
                .is_ok_and(|memo| bool::from(memo.require_incoming_transfer_memos)),
        }
    }

    pub async fn mint_to(&mut self, mint: &TestMint, account: &Pubkey, amount: u64) {
        let payer = self.payer();
        let ix = stakepool_client::token_setup::mint_to(
            &mint.address,
            account,
            &payer,
            amount,
            mint.decimals,
            &mint.token_program,
        );
        self.send(&[ix], &[]).await.expect("mint_to");
    }

    /// A plain token transfer, outside the pool (e.g. a "donation" to a vault).
    pub async fn transfer_tokens(
        &mut self,
        mint: &TestMint,
        from: &Pubkey,
        authority: &Keypair,
        to: &Pubkey,
        amount: u64,
    ) {
        let ix = spl_token_2022::instruction::transfer_checked(
            &mint.token_program,
            from,
            &mint.address,
            to,
            &authority.pubkey(),
            &[],
            amount,
            mint.decimals,
        )
        .unwrap();
        self.send(&[ix], &[authority]).await.expect("transfer");
    }

    pub async fn token_balance(&mut self, account: Pubkey) -> u64 {
        let account = self.account(account).await.expect("token account exists");
        stakepool_client::accounts::token_amount(&account.data).expect("token account")
    }

    /// Extension types of a mint (empty for SPL Token mints).
    pub async fn mint_extensions(&mut self, mint: Pubkey) -> Vec<ExtensionType> {
        let account = self.account(mint).await.expect("mint exists");
        StateWithExtensions::<MintState>::unpack(&account.data)
            .expect("mint")
            .get_extension_types()
            .unwrap_or_default()
    }
}
