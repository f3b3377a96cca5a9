using Sequencer.Net.Tests.Transport;

namespace Sequencer.Net.Tests.Host;

/// <summary>Waits for a condition that other threads make true (a guard against hangs, never a measurement).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string description)
    {
        var deadline = DateTime.UtcNow + PipeTestExtensions.Guard;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not true within {PipeTestExtensions.Guard}: {description}");
            await Task.Delay(10);
        }
    }

    public static Task<T> WithinGuard<T>(this Task<T> task) => task.WaitAsync(PipeTestExtensions.Guard);

    public static Task WithinGuard(this Task task) => task.WaitAsync(PipeTestExtensions.Guard);
}
