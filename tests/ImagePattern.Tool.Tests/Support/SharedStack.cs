using ImagePattern.Testing;

// One real local stack for the whole assembly; each test makes its own queues in it; pipelines start their own.
[assembly: AssemblyFixture(typeof(LocalStackFixture))]
