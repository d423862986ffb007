//! Criterion benchmarks of the engine shapes (issue 15) and of the bare-loop
//! baseline. `cargo bench --bench shapes`; the table with RSS and the bare
//! ratio is `cargo bench --bench engine`.

#[path = "common/bare.rs"]
mod bare;
#[path = "common/bare_model.rs"]
mod bare_model;
#[path = "common/shapes.rs"]
mod shapes;

use bare_model::Timeouts;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    for shape in shapes::all(10) {
        let s = shapes::parse(&shape);
        let writes = shapes::run(&s).report.metrics.attempted_writes;
        g.throughput(Throughput::Elements(writes));
        g.bench_function(shape.name, |b| b.iter(|| shapes::run(&s)));
    }
    let writes = bare::run(10, 20_000.0).writes;
    g.throughput(Throughput::Elements(writes));
    g.bench_function("bare-binaryheap-steady-3region", |b| {
        b.iter(|| bare::run(10, 20_000.0))
    });
    for (name, timeouts) in [
        (
            "bare-binaryheap-same-model-steady-3region",
            Timeouts::InHeap,
        ),
        (
            "bare-fifo-timeouts-same-model-steady-3region",
            Timeouts::Fifo,
        ),
    ] {
        let writes = bare_model::run(10, 20_000.0, timeouts).writes;
        g.throughput(Throughput::Elements(writes));
        g.bench_function(name, |b| b.iter(|| bare_model::run(10, 20_000.0, timeouts)));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
