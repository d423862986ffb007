//! Criterion benchmarks of the engine shapes (issue 15) and of the bare-loop
//! baseline. `cargo bench --bench shapes`; the table with RSS and the bare
//! ratio is `cargo bench --bench engine`.

#[path = "common/bare.rs"]
mod bare;
#[path = "common/shapes.rs"]
mod shapes;

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
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
