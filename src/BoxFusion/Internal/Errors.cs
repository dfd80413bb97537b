using System;
using System.Management.Automation;

namespace BoxFusion.Commands
{
    /// <summary>ErrorRecords with specific ids, categories and targets: what users filter and catch on.</summary>
    internal static class Errors
    {
        public static ErrorRecord Create(string errorId, ErrorCategory category, object target, string message, Exception inner = null)
        {
            var exception = inner != null && inner.Message == message ? inner : new BoxFusionException(message, inner);
            return new ErrorRecord(exception, errorId, category, target);
        }

        public static ErrorRecord FileNotFound(string path) =>
            Create("FileNotFound", ErrorCategory.ObjectNotFound, path, "Cannot find the file '" + path + "'.");

        public static ErrorRecord WildcardMatchedNothing(string pattern) =>
            Create("PathNotFound", ErrorCategory.ObjectNotFound, pattern, "No file matches '" + pattern + "'.");

        public static ErrorRecord InvalidArgument(string errorId, string parameter, object value, string message) =>
            Create(errorId, ErrorCategory.InvalidArgument, value ?? parameter, message);
    }

    /// <summary>The exception inside BoxFusion's ErrorRecords, so callers can catch what came from us.</summary>
    public sealed class BoxFusionException : Exception
    {
        public BoxFusionException(string message, Exception inner = null) : base(message, inner) { }
    }
}
