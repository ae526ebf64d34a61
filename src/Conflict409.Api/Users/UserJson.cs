using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conflict409.Api.Users;

/// <summary>
/// The users' request and response types, serialised by generated code instead of reflection: registration is the
/// hot path (tests/load/README.md), and the generated reader and writer do less per request. The HTTP JSON options
/// (duplicate properties refused, depth, strict numbers) still apply; types not listed here fall back to reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RegisterRequest))]
[JsonSerializable(typeof(RegistrationResponse))]
[JsonSerializable(typeof(UserResponse))]
[JsonSerializable(typeof(UserPage))]
[JsonSerializable(typeof(UpdateProfileRequest))]
internal sealed partial class UserJson : JsonSerializerContext;

public static class UserJsonSetup
{
    public static IServiceCollection AddUserJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, UserJson.Default));
}
