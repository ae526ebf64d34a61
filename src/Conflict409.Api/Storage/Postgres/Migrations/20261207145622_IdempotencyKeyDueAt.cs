using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Conflict409.Api.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class IdempotencyKeyDueAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DueAt",
                table: "IdempotencyKeys",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DueAt",
                table: "IdempotencyKeys");
        }
    }
}
