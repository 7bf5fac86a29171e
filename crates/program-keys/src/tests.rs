use super::*;

/// The files `sync` reads and writes, copied from this workspace into a scratch root.
fn scratch_workspace() -> tempfile::TempDir {
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let scratch = tempfile::tempdir().unwrap();
    let mut files = vec!["Anchor.toml".to_string()];
    files.extend(IDL_FILES.iter().map(|f| f.to_string()));
    files.extend(PROGRAMS.iter().map(|p| format!("{}/src/lib.rs", p.dir)));
    for file in files {
        let to = scratch.path().join(&file);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(real.join(&file), to).unwrap();
    }
    scratch
}

/// A keypair of the user's own where `sync` looks for the program's.
fn keypair_in_place(root: &Path, program: &Program) -> (Keypair, PathBuf) {
    let keypair = Keypair::new();
    let path = program.keypair_path(root);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    solana_keypair::write_keypair_file(&keypair, &path).unwrap();
    (keypair, path)
}

fn assert_everything_agrees(root: &Path) {
    for listing in list(root).unwrap() {
        assert!(
            listing.disagreements.is_empty(),
            "{}: {:?}",
            listing.name,
            listing.disagreements
        );
    }
}

fn all_text(root: &Path) -> String {
    let mut files = vec![root.join("Anchor.toml")];
    files.extend(IDL_FILES.iter().map(|f| root.join(f)));
    files.extend(PROGRAMS.iter().map(|p| p.source(root)));
    files
        .iter()
        .map(|f| fs::read_to_string(f).unwrap())
        .collect()
}

#[test]
fn the_committed_workspace_names_each_id_the_same_everywhere() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for listing in list(&root).unwrap() {
        let places: Vec<_> = listing
            .disagreements
            .iter()
            .filter(|(place, _)| !place.ends_with("-keypair.json"))
            .collect();
        assert!(places.is_empty(), "{}: {places:?}", listing.name);
    }
}

#[test]
fn sync_writes_new_keypairs_ids_everywhere_and_a_second_run_changes_nothing() {
    let scratch = scratch_workspace();
    let root = scratch.path();
    let placeholders: Vec<String> = PROGRAMS
        .iter()
        .map(|p| p.declared_id(root).unwrap().to_string())
        .collect();

    let synced = sync(root).unwrap();
    for (program, done) in PROGRAMS.iter().zip(&synced) {
        assert!(done.created_keypair);
        let keypair = read_keypair(&program.keypair_path(root)).unwrap();
        assert_eq!(done.id, keypair.pubkey());
        assert_eq!(program.declared_id(root).unwrap(), done.id);
        let tables = anchor_toml_ids(
            &fs::read_to_string(root.join("Anchor.toml")).unwrap(),
            program.name,
        );
        assert_eq!(tables.len(), 2, "localnet and devnet");
        assert!(tables.iter().all(|(_, id)| *id == done.id.to_string()));
    }
    // The pool's IDL names the lending program too, as a string and as the bytes of its
    // PDAs' program: no placeholder is left anywhere in either form.
    let text = all_text(root);
    let compact: String = text.split_whitespace().collect();
    for placeholder in &placeholders {
        assert!(
            !text.contains(placeholder.as_str()),
            "{placeholder} still written"
        );
        let bytes = placeholder
            .parse::<Pubkey>()
            .unwrap()
            .to_bytes()
            .map(|b| b.to_string());
        assert!(
            !compact.contains(&format!("[{}]", bytes.join(","))),
            "{placeholder} still written as bytes"
        );
    }
    let lending = synced[1].id.to_bytes().map(|b| b.to_string());
    assert!(
        compact.contains(&format!("[{}]", lending.join(","))),
        "the lending PDAs' program is the new lending id"
    );
    assert_everything_agrees(root);

    let again = sync(root).unwrap();
    for (first, second) in synced.iter().zip(&again) {
        assert!(!second.created_keypair);
        assert_eq!(first.id, second.id);
        assert!(second.rewritten.is_empty(), "{:?}", second.rewritten);
    }
    assert_eq!(all_text(root), text);
}

#[test]
fn id_bytes_are_replaced_in_place_and_nothing_else_is() {
    let old = [7u8; 32];
    let new: [u8; 32] = std::array::from_fn(|i| i as u8);
    let old_text = old.map(|b| b.to_string()).join(",\n  ");
    let text = format!("{{\"a\": [\n  {old_text}\n], \"b\": [7, 7], \"c\": [\n  {old_text}\n]}}");
    let replaced = replace_id_bytes(&text, &old, &new);
    let new_text = new.map(|b| b.to_string()).join(",\n  ");
    assert_eq!(
        replaced,
        format!("{{\"a\": [\n  {new_text}\n], \"b\": [7, 7], \"c\": [\n  {new_text}\n]}}")
    );
}

#[test]
fn sync_keeps_an_existing_keypair() {
    let scratch = scratch_workspace();
    let root = scratch.path();
    let (mine, path) = keypair_in_place(root, &PROGRAMS[0]);

    let synced = sync(root).unwrap();
    assert!(!synced[0].created_keypair);
    assert_eq!(PROGRAMS[0].declared_id(root).unwrap(), mine.pubkey());
    assert_eq!(read_keypair(&path).unwrap().pubkey(), mine.pubkey());
}

#[test]
fn list_names_a_stale_anchor_toml_entry_and_sync_mends_it() {
    let scratch = scratch_workspace();
    let root = scratch.path();
    let stale = Pubkey::new_unique().to_string();
    let anchor_toml = root.join("Anchor.toml");
    let text = fs::read_to_string(&anchor_toml).unwrap();
    fs::write(
        &anchor_toml,
        set_anchor_toml_ids(&text, "mock_lending", &stale),
    )
    .unwrap();

    let listing = list(root).unwrap();
    let lending = listing.iter().find(|l| l.name == "mock_lending").unwrap();
    assert!(lending
        .disagreements
        .contains(&("Anchor.toml [programs.localnet]".into(), stale.clone())));
    assert!(lending
        .disagreements
        .contains(&("Anchor.toml [programs.devnet]".into(), stale)));

    sync(root).unwrap();
    assert_everything_agrees(root);
}

#[test]
fn anchor_toml_entries_outside_programs_tables_are_left_alone() {
    let text = "[provider]\nstaking_pool = \"x\"\n[programs.localnet]\n  staking_pool = \"old\"\n";
    assert_eq!(
        set_anchor_toml_ids(text, "staking_pool", "new"),
        "[provider]\nstaking_pool = \"x\"\n[programs.localnet]\n  staking_pool = \"new\"\n"
    );
}

#[test]
fn sync_mends_an_idl_that_anchor_keys_sync_or_a_hand_edit_left_behind() {
    let scratch = scratch_workspace();
    let root = scratch.path();
    let placeholder = PROGRAMS[1].declared_id(root).unwrap().to_string();
    // declare_id! and Anchor.toml already name the keypair; the IDLs do not.
    let (mine, _) = keypair_in_place(root, &PROGRAMS[1]);
    let source = PROGRAMS[1].source(root);
    let text = fs::read_to_string(&source).unwrap();
    fs::write(
        &source,
        text.replace(&placeholder, &mine.pubkey().to_string()),
    )
    .unwrap();
    let anchor_toml = root.join("Anchor.toml");
    let text = fs::read_to_string(&anchor_toml).unwrap();
    fs::write(
        &anchor_toml,
        set_anchor_toml_ids(&text, "mock_lending", &mine.pubkey().to_string()),
    )
    .unwrap();

    let lending = list(root)
        .unwrap()
        .into_iter()
        .find(|l| l.name == "mock_lending")
        .unwrap();
    let places: Vec<&str> = lending
        .disagreements
        .iter()
        .map(|(p, _)| p.as_str())
        .collect();
    assert!(
        places.contains(&"idl/mock_lending.json address"),
        "{places:?}"
    );
    assert!(
        places.contains(&"idl/staking_pool.json lending_program"),
        "{places:?}"
    );

    let synced = sync(root).unwrap();
    assert!(synced[1]
        .rewritten
        .contains(&"idl/staking_pool.json".to_string()));
    assert!(!all_text(root).contains(&placeholder));
    assert_everything_agrees(root);
}

#[test]
fn a_keypair_that_cannot_be_read_leaves_every_file_as_it_was() {
    let scratch = scratch_workspace();
    let root = scratch.path();
    let before = all_text(root);
    let path = PROGRAMS[1].keypair_path(root);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, "not a keypair").unwrap();

    let error = sync(root).err().expect("a corrupt keypair is refused");
    assert!(error.contains("mock_lending-keypair.json"), "{error}");
    assert_eq!(all_text(root), before);
}

#[test]
fn a_new_keypair_file_is_private_and_reads_back() {
    use std::os::unix::fs::PermissionsExt;
    let scratch = tempfile::tempdir().unwrap();
    let path = scratch.path().join("deploy/p-keypair.json");
    let made = create_keypair(&path).unwrap();
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(read_keypair(&path).unwrap().pubkey(), made.pubkey());
    assert!(
        create_keypair(&path).is_err(),
        "an existing file is never overwritten"
    );
    assert_eq!(read_keypair(&path).unwrap().pubkey(), made.pubkey());
}
