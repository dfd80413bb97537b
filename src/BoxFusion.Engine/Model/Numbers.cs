namespace BoxFusion
{
    /// <summary>Number checks the engine shares (netstandard2.0 has no double.IsFinite).</summary>
    internal static class Numbers
    {
        /// <summary>True unless the value is NaN or an infinity.</summary>
        public static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);
    }
}
