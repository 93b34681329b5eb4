using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ImagePattern.Tool.Tests.Drills.Support;

/// <summary>
/// A TCP relay in front of a service on 127.0.0.1 that can be cut: while cut, new connections are refused and the
/// open ones are reset, which is what a client sees when the service is unreachable. The service behind keeps its
/// data, as DynamoDB does through a network outage.
/// </summary>
public sealed class TcpOutage : IAsyncDisposable
{
    private readonly IPEndPoint target;
    private readonly ConcurrentDictionary<Guid, (TcpClient Client, TcpClient Upstream)> open = new();
    private TcpListener? listener;
    private CancellationTokenSource? accepting;

    private TcpOutage(IPEndPoint target, int port)
    {
        this.target = target;
        Port = port;
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");

    public bool IsCut => listener is null;

    /// <summary>Connections refused or reset since the start.</summary>
    public long Refused { get; private set; }

    public static TcpOutage Start(Uri service)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var outage = new TcpOutage(new IPEndPoint(IPAddress.Loopback, service.Port), port);
        outage.Restore();
        return outage;
    }

    public void Cut()
    {
        accepting?.Cancel();
        listener?.Stop();
        listener = null;
        foreach (var (id, pair) in open)
        {
            Reset(pair.Client);
            Reset(pair.Upstream);
            open.TryRemove(id, out _);
            Refused++;
        }
    }

    public void Restore()
    {
        if (listener is not null)
        {
            return;
        }

        var next = new TcpListener(IPAddress.Loopback, Port);
        next.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        next.Start();
        listener = next;
        accepting = new CancellationTokenSource();
        _ = AcceptAsync(next, accepting.Token);
    }

    private async Task AcceptAsync(TcpListener from, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await from.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var id = Guid.NewGuid();
        var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(target);
            open[id] = (client, upstream);
            using var done = new CancellationTokenSource();
            var up = client.GetStream().CopyToAsync(upstream.GetStream(), done.Token);
            var down = upstream.GetStream().CopyToAsync(client.GetStream(), done.Token);
            await Task.WhenAny(up, down);
            await done.CancelAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A cut, or either side closing: the relay ends with the connection.
        }
        finally
        {
            open.TryRemove(id, out _);
            client.Dispose();
            upstream.Dispose();
        }
    }

    private static void Reset(TcpClient client)
    {
        try
        {
            // Linger 0 makes Close send RST: the peer sees "connection reset", not a clean end of stream.
            // The relay may have closed it already, which leaves no socket.
            if (client.Client is { } socket)
            {
                socket.LingerState = new LingerOption(true, 0);
            }

            client.Close();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        accepting?.Dispose();
        return ValueTask.CompletedTask;
    }
}
