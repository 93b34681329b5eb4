namespace ImagePattern.Function.Events;

/// <summary>
/// <c>&lt;bucket&gt;/&lt;key&gt;@&lt;versionId or eTag&gt;#&lt;recipe&gt;</c>: the same bytes uploaded again are a duplicate;
/// a changed thumbnail recipe makes a new task.
/// </summary>
public static class TaskIdentity
{
    /// <summary>The task id of <paramref name="source"/> under the recipe fingerprint <paramref name="recipe"/>.</summary>
    public static string For(SourceObject source, string recipe)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(recipe);
        return $"{source.Bucket}/{source.Key}@{source.Revision}#{recipe}";
    }
}
