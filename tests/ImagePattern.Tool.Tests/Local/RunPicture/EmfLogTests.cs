using ImagePattern.Tool.Local.RunPicture;

namespace ImagePattern.Tool.Tests.Local.RunPicture;

public sealed class EmfLogTests
{
    [Fact]
    public void Samples_GroupsAMetricsValuesByServiceAndSkipsEverythingElse()
    {
        string[] lines =
        [
            """{"level":"INFO","message":"claimed","service":"imagepattern","NotificationLatency":12345}""",
            """{"_aws":{"Timestamp":1,"CloudWatchMetrics":[]},"service":"imagepattern","Processed":2,"NotificationLatency":[120.5,80]}""",
            "START RequestId: 1 Version: $LATEST",
            """{"_aws":{"Timestamp":2,"CloudWatchMetrics":[]},"service":"imagepattern-metadata","NotificationLatency":[40]}""",
            """{"_aws":{"Timestamp":3,"CloudWatchMetrics":[]},"service":"imagepattern","Processed":0}""",
            """{"_aws": not json""",
            """{"_aws":{"Timestamp":4,"CloudWatchMetrics":[]},"service":"imagepattern","NotificationLatency":7}""",
        ];

        var samples = EmfLog.Samples(lines, "NotificationLatency");

        Assert.Equal(["imagepattern", "imagepattern-metadata"], samples.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([120.5, 80, 7], samples["imagepattern"]);
        Assert.Equal([40], samples["imagepattern-metadata"]);
    }
}
