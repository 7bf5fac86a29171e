//! Mints and token accounts for SPL Token and Token-2022, built with the interfaces anchor-spl
//! re-exports.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_spl::token_2022::spl_token_2022::{
    self,
    extension::{transfer_fee, BaseStateWithExtensions, ExtensionType, StateWithExtensions},
    state::{Account as TokenAccountState, Mint as MintState},
};
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_system_interface::instruction as system_instruction;

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
        let mint = Keypair::new();
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
        let account = Keypair::new();
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
