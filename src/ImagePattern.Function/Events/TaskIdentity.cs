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
        ArgumentException.ThrowIfNullOrEmpty(recipe);
        return $"{ObjectRevision(source)}#{recipe}";
    }

    /// <summary>
    /// <c>&lt;bucket&gt;/&lt;key&gt;@&lt;revision&gt;</c>: the part of the task id before <c>#</c>, the same for every
    /// consumer's task of that object revision (recipes contain no <c>#</c>).
    /// </summary>
    public static string ObjectRevision(SourceObject source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return $"{source.Bucket}/{source.Key}@{source.Revision}";
    }
}
