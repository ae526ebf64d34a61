namespace Conflict409.Client;

public sealed record Registration(string Message, string Username);

public sealed record UserView(string Username, DateTimeOffset RegisteredAt, string? DisplayName, string? Bio, long Version);

public sealed record ProfileEdit(string? DisplayName, string? Bio);

public sealed record TeamView(string Name, string Owner, IReadOnlyList<string> Members);

public sealed record Product(int Id, string Name, decimal Price);

public sealed record ProductPage(int Page, int PageSize, int TotalPages, IReadOnlyList<Product> Items);
