using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Conflict409.Api.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class IdempotencyKeysPerClient : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_IdempotencyKeys",
                table: "IdempotencyKeys");

            migrationBuilder.AddColumn<string>(
                name: "Client",
                table: "IdempotencyKeys",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddPrimaryKey(
                name: "PK_IdempotencyKeys",
                table: "IdempotencyKeys",
                columns: new[] { "Client", "Key" });

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyKeys_Client_ExpiresAt",
                table: "IdempotencyKeys",
                columns: new[] { "Client", "ExpiresAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_IdempotencyKeys",
                table: "IdempotencyKeys");

            migrationBuilder.DropIndex(
                name: "IX_IdempotencyKeys_Client_ExpiresAt",
                table: "IdempotencyKeys");

            migrationBuilder.DropColumn(
                name: "Client",
                table: "IdempotencyKeys");

            migrationBuilder.AddPrimaryKey(
                name: "PK_IdempotencyKeys",
                table: "IdempotencyKeys",
                column: "Key");
        }
    }
}
