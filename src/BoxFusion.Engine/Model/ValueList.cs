using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;

namespace BoxFusion
{
    /// <summary>
    /// A read-only list of values whose text is the values themselves ("yolox, cascade", "0.47, 0.76"), so a CSV cell,
    /// a message or a string conversion shows them instead of a type name. Numbers are written with the invariant culture.
    /// </summary>
    public sealed class ValueList<T> : ReadOnlyCollection<T>
    {
        public const string Separator = ", ";

        public static readonly ValueList<T> Empty = new ValueList<T>(Array.Empty<T>());

        /// <summary>Copies the items, so later changes to the source do not show through.</summary>
        public ValueList(IEnumerable<T> items) : base((items ?? throw new ArgumentNullException(nameof(items))).ToArray()) { }

        /// <summary>The number of items, as on the arrays these properties used to be.</summary>
        public int Length => Count;

        public static implicit operator ValueList<T>(T[] items) => items == null ? null : new ValueList<T>(items);

        public override string ToString() =>
            string.Join(Separator, this.Select(item => Convert.ToString(item, CultureInfo.InvariantCulture)));
    }
}
