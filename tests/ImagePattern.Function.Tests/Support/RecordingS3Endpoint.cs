using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ImagePattern.Function.Tests.Support;

/// <summary>
/// A real HTTP listener on 127.0.0.1 that records every request and answers with one fixed S3 response. It stands in
/// for a versioned bucket, which the local emulator does not have: only the request the store sends is under test.
/// </summary>
internal sealed class RecordingS3Endpoint : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task serving;

    public RecordingS3Endpoint(int status, string contentType, byte[] body, IReadOnlyDictionary<string, string>? headers = null)
    {
        // Ask the OS for a free port, then listen there (HttpListener cannot bind port 0 itself).
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        serving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                Requests.Enqueue(new RecordedRequest(
                    context.Request.HttpMethod,
                    context.Request.Url!.AbsolutePath,
                    context.Request.Url.Query,
                    context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase)));
                context.Response.StatusCode = status;
                context.Response.ContentType = contentType;
                foreach (var (name, value) in headers ?? new Dictionary<string, string>())
                {
                    context.Response.Headers[name] = value;
                }

                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        });
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static RecordingS3Endpoint Object(byte[] data, string etag) =>
        new(200, "image/jpeg", data, new Dictionary<string, string> { ["ETag"] = $"\"{etag}\"" });

    /// <summary>An S3 error document; <paramref name="extra"/> holds further elements S3 adds for some codes (e.g. <c>StorageClass</c>).</summary>
    public static RecordingS3Endpoint Error(int status, string code, string message = "", string extra = "", IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, "application/xml", Encoding.UTF8.GetBytes(
            $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{(message.Length > 0 ? message : code)}</Message>{extra}<RequestId>R1</RequestId></Error>"),
            headers);

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        serving.Wait(TimeSpan.FromSeconds(5));
    }
}

internal sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers);
