using ImagePattern.Function.Configuration;

namespace ImagePattern.Function.Tests;

/// <summary>The handler table: the one list of consumers the bootstrap, the local tool and Terraform share.</summary>
public sealed class ConsumersTests
{
    [Fact]
    public void Find_UnsetBlankOrBootstrap_IsTheThumbnailer()
    {
        Assert.All(new[] { null, "", " ", Consumers.BootstrapAlias }, name => Assert.Same(Consumers.Thumbnails, Consumers.Find(name)));
        Assert.Equal("thumbnails", Consumers.Thumbnails.Handler);
    }

    [Fact]
    public void Find_EveryListedHandler_IsThatConsumer()
    {
        Assert.All(Consumers.All, consumer => Assert.Same(consumer, Consumers.Find($" {consumer.Handler} ")));
    }

    [Fact]
    public void Find_UnknownHandler_FailsNamingEveryHandler()
    {
        var error = Assert.Throws<ArgumentException>(() => Consumers.Find("thumbnail"));

        Assert.All(Consumers.All, consumer => Assert.Contains(consumer.Handler, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void All_HandlersAreDistinctLowerCaseNamesThatFitResourceNames()
    {
        Assert.Equal(Consumers.All.Count, Consumers.All.Select(c => c.Handler).Distinct(StringComparer.Ordinal).Count());
        // Terraform names each consumer's queue, table and function after its key.
        Assert.All(Consumers.All, c => Assert.Matches("^[a-z][a-z0-9-]{0,19}$", c.Handler));
    }

    [Fact]
    public void All_ReadOnlyVariablesTerraformKnows()
    {
        Assert.All(Consumers.All, c => Assert.Subset(EnvironmentVariables.All.ToHashSet(StringComparer.Ordinal), c.Variables.ToHashSet(StringComparer.Ordinal)));
    }
}
