//! Shared by the use-case tests: databases that start with the demo data.

use stedenband_app::{Register, demo};
use stedenband_store::{Db, Store};

/// Fills an empty database with the demo data, as `demo::load` does. Run once per test program
/// (and day) into a template that every test of [`test_on_both_backends_with_demo!`] copies.
pub async fn with_demo(db: &Db) {
    demo::load(&Register::new(Store::new(db.clone())))
        .await
        .expect("demo loads");
}

/// As `test_on_both_backends!`, but each store already holds the demo data (a copy of a
/// template filled by [`with_demo`]).
#[macro_export]
macro_rules! test_on_both_backends_with_demo {
    ($($name:ident => $case:ident),+ $(,)?) => {
        stedenband_store::test_on_both_backends! {
            template "app-demo", $crate::support::with_demo;
            $($name => $case),+
        }
    };
}

/// The demo data and the shipped world list, as `serve --demo` starts with.
#[allow(dead_code)] // used by some test programs only
pub async fn with_demo_and_world(db: &Db) {
    with_demo(db).await;
    let store = Store::new(db.clone());
    demo::load_world(&stedenband_app::World::new(store))
        .await
        .expect("world list imports");
}
