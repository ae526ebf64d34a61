namespace Conflict409.Client;

public sealed record Registration(string Message, string Username);

public sealed record UserView(string Username, DateTimeOffset RegisteredAt, string? DisplayName, string? Bio, long Version);

public sealed record ProfileEdit(string? DisplayName, string? Bio);

public sealed record TeamView(string Name, string Owner, IReadOnlyList<string> Members);

public sealed record Product(int Id, string Name, decimal Price);

public sealed record ProductPage(int Page, int PageSize, int TotalPages, IReadOnlyList<Product> Items);

/// <param name="Connections">The most connections the server lets one client hold (0 when it does not say): the burst goes over at most this many.</param>
public sealed record RacePlan(string Username, int Racers, int ThinkTimeMs, string NaivePath, string AtomicPath, string OutcomePath, int Connections = 0);

public sealed record RaceOutcome(string Username, int NaiveCopies, bool Registered);

public sealed record CartPage(IReadOnlyList<Product> Items, decimal Total, int Revision, string FormToken);

public sealed record CartItemAdded(Product Added, int Revision);

public sealed record Order(string OrderId, IReadOnlyList<Product> Items, decimal Total);
