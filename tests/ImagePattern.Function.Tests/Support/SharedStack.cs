using ImagePattern.Testing;

// One real local stack for the whole assembly; each test makes its own buckets and tables in it.
[assembly: AssemblyFixture(typeof(LocalStackFixture))]
