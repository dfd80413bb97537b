BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'The built module' {
    It 'imports in a new pwsh by path and lists its cmdlets and aliases' {
        $pwsh = @(Get-PwshCommandLine)
        $names = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "Import-Module '$ModulePath'; (Get-Command -Module BoxFusion).Name -join ','"
        $LASTEXITCODE | Should -Be 0
        $list = "$names" -split ','
        foreach ($name in 'Import-Detection', 'Merge-Detection', 'Export-Submission', 'Import-Detections', 'Merge-Detections') {
            $list | Should -Contain $name
        }
    }

    It 'exports every alias it declares, so auto-loading finds them' {
        $manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'BoxFusion.psd1')
        Import-ModuleUnderTest
        $module = Get-Module BoxFusion
        foreach ($alias in $module.ExportedAliases.Keys) { $manifest.AliasesToExport | Should -Contain $alias }
        foreach ($cmdlet in $module.ExportedCmdlets.Keys) { $manifest.CmdletsToExport | Should -Contain $cmdlet }
    }
}

Describe 'The cmdlets'' resources' {
    It 'disposes every CancellationTokenSource a cmdlet holds when PowerShell disposes the cmdlet' {
        Import-ModuleUnderTest
        $flags = [System.Reflection.BindingFlags]'Instance, NonPublic, Public, DeclaredOnly'
        $cmdletTypes = @((Get-Command -Module BoxFusion -CommandType Cmdlet).ImplementingType)
        $cmdletTypes.Count | Should -BeGreaterThan 0
        $checked = 0
        foreach ($type in $cmdletTypes) {
            $instance = [Activator]::CreateInstance($type)
            $sources = @(for ($t = $type; $t -and $t.Assembly -eq $type.Assembly; $t = $t.BaseType) {
                $t.GetFields($flags) | Where-Object { [System.Threading.CancellationTokenSource].IsAssignableFrom($_.FieldType) } |
                    ForEach-Object { [pscustomobject]@{ Name = "$($t.Name).$($_.Name)"; Value = $_.GetValue($instance) } }
            })
            if ($sources.Count -eq 0) { continue }
            $instance | Should -BeOfType [System.IDisposable] -Because "$($type.Name) holds a CancellationTokenSource"
            $instance.Dispose()
            foreach ($source in $sources | Where-Object Value) {
                # A disposed source refuses a timer (its Token still answers on .NET 10); an infinite one changes nothing.
                $refusal = $null
                try { $source.Value.CancelAfter([System.Threading.Timeout]::Infinite) } catch { $refusal = $_.Exception.GetBaseException() }
                $refusal | Should -BeOfType [System.ObjectDisposedException] -Because "$($source.Name) must be disposed"
                $checked++
            }
        }
        $checked | Should -BeGreaterThan 0
    }
}
