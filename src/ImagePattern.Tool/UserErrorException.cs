namespace ImagePattern.Tool;

/// <summary>
/// An expected failure a user can act on (no local stack running, a folder that does not exist, a missing
/// setting): the CLI prints its message as one line on stderr and exits non-zero, with no stack trace. Anything
/// else that escapes a command is a bug and keeps its trace.
/// </summary>
/// <param name="message">One line: what is wrong and what to do about it.</param>
public sealed class UserErrorException(string message) : Exception(message);
