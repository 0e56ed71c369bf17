// Formats the same values of tests/wasmtime/wit/debug.wit through the generated crate
// (`rt_debug`) and through bindgen! of the same WIT, and compares the strings: bindgen!'s are
// the expected ones. Prints `ok <bindgen!'s string>` or `MISMATCH <bindgen!> <witgen>` per
// value; exits non-zero on any mismatch.

macro_rules! render {
    () => {
        pub fn render() -> Vec<String> {
            use self::test::dbg::types::*;
            let stat = DescriptorStat {
                type_: DescriptorType::Directory,
                link_count: 3,
                size: Some(42),
                address: IpAddress::Ipv4((127, 0, 0, 1)),
                tags: vec!["a".to_string(), "b\"c\n".to_string()],
            };
            let nested = Nested {
                stat: stat.clone(),
                fl: OpenFlags::CREATE | OpenFlags::TRUNCATE,
                pair: ("p".to_string(), -7),
                maybe: Some(Some(IpAddress::Ipv6(vec![1, 0xffff]))),
            };
            vec![
                format!("{:?}", DescriptorType::SymbolicLink),
                format!("{:?}", DescriptorType::BlockDevice),
                format!("{:#?}", DescriptorType::Unknown),
                format!("{:?}", ErrorCode::WouldBlock),
                format!("{:#?}", ErrorCode::Access),
                format!("{}", ErrorCode::Access),
                format!("{:?}", ErrorCode::NoDocs),
                format!("{}", ErrorCode::NoDocs),
                ErrorCode::WouldBlock.name().to_string(),
                ErrorCode::WouldBlock.message().to_string(),
                format!("{:?}", IpAddress::Ipv4((10, 0, 0, 1))),
                format!("{:?}", IpAddress::Ipv6(vec![1, 2])),
                format!("{:?}", IpAddress::None),
                format!("{:#?}", IpAddress::Ipv6(vec![3])),
                format!("{:?}", StreamError::LastOperationFailed("boom".into())),
                format!("{:?}", StreamError::Closed),
                format!("{}", StreamError::Closed),
                format!("{}", StreamError::LastOperationFailed("x".into())),
                format!("{stat:?}"),
                format!("{stat:#?}"),
                format!("{:?}", EmptyIsh { x: 1 }),
                format!("{:?}", OpenFlags::CREATE | OpenFlags::EXCLUSIVE),
                format!("{:?}", OpenFlags::empty()),
                format!("{nested:?}"),
                format!("{nested:#?}"),
                format!("{:?}", Ok::<_, ErrorCode>(DescriptorType::Unknown)),
                format!("{:?}", Err::<DescriptorType, _>(StreamError::Closed)),
            ]
        }
    };
}

mod generated {
    pub use rt_debug::*;
    render!();
}

mod macro_side {
    wasmtime::component::bindgen!({
        path: "wit/debug.wit",
        world: "dbg",
    });
    render!();
}

fn main() {
    let expected = macro_side::render();
    let got = generated::render();
    let mut bad = 0;
    for (want, have) in expected.iter().zip(&got) {
        if want == have {
            println!("ok {want:?}");
        } else {
            bad += 1;
            println!("MISMATCH {want:?} {have:?}");
        }
    }
    assert_eq!(expected.len(), got.len());
    if bad > 0 {
        eprintln!(
            "{bad} of {} values print differently from bindgen!",
            expected.len()
        );
        std::process::exit(1);
    }
}
